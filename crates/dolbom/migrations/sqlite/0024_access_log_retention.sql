-- 개인정보의 안전성 확보조치 기준 제8조: the access log is kept at least two years (dolbom holds 고유식별정보).
-- Entries older than that may now be deleted (the retention job does), and nothing else may change: no update, no
-- delete of an entry younger than two years (731 days, leap day included).
DROP TRIGGER access_log_no_delete;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
WHEN OLD.at >= CAST(strftime('%s', 'now') AS INTEGER) * 1000 - 63158400000
BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
