//! Every route declares one [`Permission`] in the route table (`crate::routes`); [`require`] enforces it before the
//! handler runs. Finer checks (a worker's 행정동s, a provider's own facility) are made by the feature on the record.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::model::{Role, Visitor};
use crate::error::AppError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in account.
    SignedIn,
    /// Staff who read residents' and households' records: welfare workers (their 행정동s) and officials.
    ReadPeople,
    /// Welfare workers: linking a service to a household in the ledger (their 행정동s, checked on the record).
    LinkResources,
    /// Welfare workers: cases, consents, referrals and outreach visits of their agency (checked on the record).
    CaseWork,
    /// Officials: reviewing resources found in the field, grouping 행정동s into 권역s.
    OverseeSharing,
    /// Welfare workers and officials: a 권역's pool (donations in, campaigns, pledges received).
    SharePool,
    /// Managers of community spaces: provider staff (their organization's spaces, checked on the record) and
    /// officials (all).
    ManageSpaces,
    /// Staff who keep the welfare directory: welfare workers, officials, administrators.
    ManageDirectory,
    /// Guardians (residents): registering their children and reading their own children's records.
    RegisterChildren,
    /// Facility pages: provider staff (their own organization's, checked in the handler), officials, administrators.
    EditFacilities,
    /// Care providers: facility staff (their own organization's applications, checked in the handler) and
    /// caregivers (their own).
    ProvideCare,
    /// Caregivers (아이돌보미): their own hours, languages and credentials.
    KeepCaregiverProfile,
    /// Officials: the care figures.
    MonitorCare,
    /// Staff who verify waitlist facts and run allocation rounds: welfare workers and officials.
    ManageWaitlist,
    /// Group leaders: the join requests of their own organization's groups (checked in the handler).
    LeadGroups,
    /// Officials: subsidy programmes, reviews, decisions, plan changes and disbursements.
    RunSubsidies,
    /// Officials: the hub's content pages (정책, 칼럼, 교육자료, 사이트, 스토리텔링, 자료실).
    PublishContent,
    /// Officials: the municipality's own rules (the waitlist's priority classes and points).
    SetRules,
    /// Officials: the access log and the figures.
    ViewAccessLog,
    /// Administrators: accounts, roles, organizations.
    ManageAccounts,
}

impl Permission {
    /// The roles this permission lets in; `None` for [`Permission::Public`], which lets in everyone.
    pub fn roles(self) -> Option<&'static [Role]> {
        use Role::*;
        match self {
            Permission::Public => None,
            Permission::SignedIn => Some(&Role::ALL),
            Permission::ReadPeople => Some(&[WelfareWorker, Official]),
            Permission::LinkResources => Some(&[WelfareWorker]),
            Permission::CaseWork => Some(&[WelfareWorker]),
            Permission::OverseeSharing => Some(&[Official]),
            Permission::SharePool => Some(&[WelfareWorker, Official]),
            Permission::ManageSpaces => Some(&[ProviderStaff, Official]),
            Permission::ManageDirectory => Some(&[WelfareWorker, Official, Admin]),
            Permission::RegisterChildren => Some(&[Resident]),
            Permission::EditFacilities => Some(&[ProviderStaff, Official, Admin]),
            Permission::LeadGroups => Some(&[GroupLeader]),
            Permission::ProvideCare => Some(&[ProviderStaff, Caregiver]),
            Permission::KeepCaregiverProfile => Some(&[Caregiver]),
            Permission::MonitorCare => Some(&[Official]),
            Permission::ManageWaitlist => Some(&[WelfareWorker, Official]),
            Permission::SetRules => Some(&[Official]),
            Permission::PublishContent => Some(&[Official]),
            Permission::RunSubsidies => Some(&[Official]),
            Permission::ViewAccessLog => Some(&[Official]),
            Permission::ManageAccounts => Some(&[Admin]),
        }
    }

    pub fn allows(self, role: Option<Role>) -> bool {
        match (self.roles(), role) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(roles), Some(role)) => roles.contains(&role),
        }
    }
}

/// Middleware: lets the request through when the visitor's role holds `permission`. Signed-out visitors get
/// 401 (the page layer turns it into a redirect to the log-in page); signed-in ones without the role get 403.
pub async fn require(State(permission): State<Permission>, request: Request, next: Next) -> Response {
    let role = request.extensions().get::<Visitor>().and_then(|v| v.user.as_ref()).map(|u| u.role);
    if permission.allows(role) {
        return next.run(request).await;
    }
    match role {
        None => AppError::Unauthorized.into_response(),
        Some(_) => AppError::Forbidden.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_lets_everyone_in_and_signed_in_needs_an_account() {
        assert!(Permission::Public.allows(None));
        assert!(!Permission::SignedIn.allows(None));
        for role in Role::ALL {
            assert!(Permission::SignedIn.allows(Some(role)));
        }
    }

    #[test]
    fn staff_permissions_are_narrow() {
        assert!(Permission::ReadPeople.allows(Some(Role::WelfareWorker)));
        assert!(!Permission::ReadPeople.allows(Some(Role::Resident)));
        assert!(!Permission::ReadPeople.allows(Some(Role::Admin)));
        assert!(Permission::ManageAccounts.allows(Some(Role::Admin)));
        assert!(!Permission::ManageAccounts.allows(Some(Role::Official)));
    }
}
