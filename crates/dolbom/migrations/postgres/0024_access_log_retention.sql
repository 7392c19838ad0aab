-- 개인정보의 안전성 확보조치 기준 제8조: the access log is kept at least two years (dolbom holds 고유식별정보).
-- Entries older than that may now be deleted (the retention job does), and nothing else may change: no update, no
-- truncate, no delete of an entry younger than two years (731 days, leap day included), whatever the caller is.
CREATE OR REPLACE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.at < (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT - 63158400000 THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'access_log is append-only';
END;
$$;
