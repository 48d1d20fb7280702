//! SQL for command and control deployments: one row per officer deployed to an incident per
//! person involved, written by a bulk import with the nominals the officer and the person were
//! matched to, and read back in the order they happened.

use super::{RecordMatch, StoreError};
use crate::domain::{DeploymentRow, ImportId, IsoDate, NominalId, bulk_record::name_key};
use rusqlite::{Connection, params};

/// One stored deployment: an officer on an incident with one person involved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDeployment {
    /// The import the row came from (its provenance).
    pub import: ImportId,
    pub incident_reference: String,
    /// When the officer was assigned, Unix seconds (UTC).
    pub deployed_at: i64,
    pub officer_staff_number: String,
    pub officer: Option<NominalId>,
    pub self_deployed: bool,
    /// The system whose id `person_external_id` is (the spec's `id_system`).
    pub person_id_system: Option<String>,
    pub person_external_id: Option<String>,
    /// The person's surname and forenames as compared: upper case, single spaces.
    pub person_surname: Option<String>,
    pub person_forenames: Option<String>,
    pub person_date_of_birth: Option<IsoDate>,
    pub person: Option<NominalId>,
}

/// Writes one deployment row, with the officer (`matched.staff`), the person
/// (`matched.subject`) and the system of the person's id (`matched.id_system`).
pub(crate) fn insert_deployment(
    conn: &Connection,
    import: ImportId,
    deployment: &DeploymentRow,
    matched: &RecordMatch,
) -> Result<(), StoreError> {
    let person = &deployment.person.person;
    conn.prepare_cached(
        "INSERT INTO deployments (import_id, incident_reference, deployed_at, officer_number,
         officer_nominal, self_deployed, person_id_system, person_external_id, person_surname,
         person_forenames, person_date_of_birth, person_nominal)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        import.0,
        deployment.incident_reference,
        deployment.deployed_at,
        deployment.officer_staff_number,
        matched.staff.map(|n| n.0),
        deployment.self_deployed,
        deployment
            .person
            .external_id
            .as_ref()
            .and(matched.id_system.as_deref()),
        deployment.person.external_id,
        person.surname.as_deref().map(name_key),
        person.forenames.as_deref().map(name_key),
        person.date_of_birth.map(|d| d.to_string()),
        matched.subject.map(|n| n.0),
    ])?;
    Ok(())
}

/// Every deployment row, in the order they happened (then as imported).
pub(crate) fn deployments(conn: &Connection) -> Result<Vec<StoredDeployment>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT import_id, incident_reference, deployed_at, officer_number, officer_nominal,
         self_deployed, person_id_system, person_external_id, person_surname, person_forenames,
         person_date_of_birth, person_nominal
         FROM deployments ORDER BY deployed_at, id",
    )?;
    let mut rows = statement.query([])?;
    let mut deployments = Vec::new();
    while let Some(row) = rows.next()? {
        let date_of_birth: Option<String> = row.get(10)?;
        let person_date_of_birth = match date_of_birth {
            Some(text) => Some(text.parse().map_err(|_| {
                StoreError::Damaged("a deployment's date of birth is malformed".into())
            })?),
            None => None,
        };
        deployments.push(StoredDeployment {
            import: ImportId(row.get(0)?),
            incident_reference: row.get(1)?,
            deployed_at: row.get(2)?,
            officer_staff_number: row.get(3)?,
            officer: row.get::<_, Option<i64>>(4)?.map(NominalId),
            self_deployed: row.get(5)?,
            person_id_system: row.get(6)?,
            person_external_id: row.get(7)?,
            person_surname: row.get(8)?,
            person_forenames: row.get(9)?,
            person_date_of_birth,
            person: row.get::<_, Option<i64>>(11)?.map(NominalId),
        });
    }
    Ok(deployments)
}
