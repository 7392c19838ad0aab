//! Who may open a household. Officials: the whole municipality. Welfare workers: the households of their 행정동s.
//! Beyond those, the staff of a consortium agency: a household that shares with their agency, that is, a member's
//! information-sharing consent in force covers the agency today, and the household has a case (any agency's) or a
//! referral to the agency that was not declined. Everyone else: as if the household did not exist (404).

use crate::areas::Areas;
use crate::audit::Reader;
use crate::auth::{CurrentUser, Role};
use crate::db::Db;
use crate::db::time::seoul_today;
use crate::db_run;

use super::consent::COVERS;

/// Whether the user's 행정동s hold `adm_cd2` (officials hold every one).
fn holds(user: &CurrentUser, adm_cd2: &str) -> bool {
    user.role == Role::Official || user.areas.iter().any(|a| a == adm_cd2)
}

/// Whether the reader's 행정동s hold `adm_cd2` (officials hold every one).
pub fn in_area(reader: &Reader<'_>, adm_cd2: &str) -> bool {
    holds(reader.user, adm_cd2)
}

/// The 행정동s a user may choose among on staff pages, code and name: officials every one, staff their own.
pub fn area_choices(areas: &Areas, user: &CurrentUser) -> Vec<(String, String)> {
    areas.all().iter().filter(|a| holds(user, &a.adm_cd2)).map(|a| (a.adm_cd2.clone(), a.name.clone())).collect()
}

/// Whether the household shares with the reader's agency (see the module's comment).
pub async fn shared_with(db: &Db, reader: &Reader<'_>, household_id: &str) -> Result<bool, sqlx::Error> {
    let Some(agency) = reader.user.organization_id.as_deref() else { return Ok(false) };
    let sql = format!(
        "SELECT COUNT(*) FROM residents r JOIN resident_consents c ON c.resident_id = r.id \
         WHERE r.household_id = $1 AND {COVERS} \
         AND (EXISTS (SELECT 1 FROM cases k WHERE k.household_id = $1) \
              OR EXISTS (SELECT 1 FROM referrals f WHERE f.household_id = $1 AND f.to_agency = $3 \
                         AND f.status <> 'declined'))"
    );
    let n: i64 = db_run!(db, p => sqlx::query_scalar(&sql).bind(household_id).bind("information_sharing")
        .bind(agency).bind(seoul_today()).fetch_one(p).await)?;
    Ok(n > 0)
}

/// Whether the reader may open the household in 행정동 `adm_cd2`.
pub async fn reaches(db: &Db, reader: &Reader<'_>, household_id: &str, adm_cd2: &str) -> Result<bool, sqlx::Error> {
    if in_area(reader, adm_cd2) {
        return Ok(true);
    }
    shared_with(db, reader, household_id).await
}
