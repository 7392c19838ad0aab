//! 기준 중위소득: the monthly standard median income per household size, set by 보건복지부 each year.

use std::collections::BTreeMap;

const OFFICIAL: &str = include_str!("../data/median-income.csv");

#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum MedianIncomeError {
    #[error("line {line}: expected `year,household_size,monthly_krw` with numbers")]
    Malformed { line: usize },
    #[error("year {year} lacks household sizes 1 to 7")]
    Incomplete { year: i32 },
}

/// Monthly amounts for household sizes 1 to 7, per year. Larger households follow the official rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MedianIncome {
    years: BTreeMap<i32, [i64; 7]>,
}

impl MedianIncome {
    /// The published tables 2023–2026 (보건복지부 고시), compiled in.
    pub fn official() -> MedianIncome {
        MedianIncome::parse(OFFICIAL).expect("the compiled-in table is checked by a unit test")
    }

    /// Reads `year,household_size,monthly_krw` rows (a header line is skipped).
    pub fn parse(csv: &str) -> Result<MedianIncome, MedianIncomeError> {
        let mut years: BTreeMap<i32, [Option<i64>; 7]> = BTreeMap::new();
        for (index, line) in csv.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with("year") {
                continue;
            }
            let malformed = MedianIncomeError::Malformed { line: index + 1 };
            let mut fields = line.split(',').map(str::trim);
            let year: i32 = fields.next().and_then(|f| f.parse().ok()).ok_or(malformed.clone())?;
            let size: usize = fields.next().and_then(|f| f.parse().ok()).ok_or(malformed.clone())?;
            let amount: i64 = fields.next().and_then(|f| f.parse().ok()).ok_or(malformed.clone())?;
            if !(1..=7).contains(&size) || amount <= 0 {
                return Err(malformed);
            }
            years.entry(year).or_default()[size - 1] = Some(amount);
        }
        let mut complete = BTreeMap::new();
        for (year, sizes) in years {
            let mut row = [0i64; 7];
            for (i, amount) in sizes.iter().enumerate() {
                row[i] = amount.ok_or(MedianIncomeError::Incomplete { year })?;
            }
            complete.insert(year, row);
        }
        Ok(MedianIncome { years: complete })
    }

    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    pub fn has_year(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// The monthly amount for a household of `size` in `year`. Households of 8 or more: the 7-person amount plus
    /// the difference between 7 and 6 persons for each person beyond seven (the official rule).
    pub fn monthly(&self, year: i32, size: u32) -> Option<i64> {
        let row = self.years.get(&year)?;
        match size {
            0 => None,
            1..=7 => Some(row[size as usize - 1]),
            _ => Some(row[6] + (row[6] - row[5]) * i64::from(size - 7)),
        }
    }

    /// `percent` % of the monthly amount, rounded down to whole won (limits are "이하").
    pub fn limit(&self, year: i32, size: u32, percent: u32) -> Option<i64> {
        self.monthly(year, size).map(|m| m * i64::from(percent) / 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_official_table_has_four_years() {
        let table = MedianIncome::official();
        assert_eq!(table.years().collect::<Vec<_>>(), vec![2023, 2024, 2025, 2026]);
        assert_eq!(table.monthly(2025, 1), Some(2_392_013));
        assert_eq!(table.monthly(2026, 4), Some(6_494_738));
        assert_eq!(table.monthly(2026, 7), Some(9_515_150));
    }

    #[test]
    fn eight_or_more_follow_the_official_rule() {
        let table = MedianIncome::official();
        assert_eq!(table.monthly(2025, 8), Some(9_912_051));
        assert_eq!(table.monthly(2026, 8), Some(9_515_150 + 959_198));
        assert_eq!(table.monthly(2026, 9), Some(9_515_150 + 2 * 959_198));
        assert_eq!(table.monthly(2026, 0), None);
        assert_eq!(table.monthly(2019, 1), None);
    }

    #[test]
    fn limits_round_down() {
        let table = MedianIncome::official();
        assert_eq!(table.limit(2025, 1, 100), Some(2_392_013));
        assert_eq!(table.limit(2025, 1, 32), Some(765_444));
    }

    #[test]
    fn bad_tables_are_refused() {
        assert_eq!(MedianIncome::parse("2025,1,x"), Err(MedianIncomeError::Malformed { line: 1 }));
        assert_eq!(MedianIncome::parse("2025,1,100"), Err(MedianIncomeError::Incomplete { year: 2025 }));
        assert_eq!(MedianIncome::parse("2025,9,100"), Err(MedianIncomeError::Malformed { line: 1 }));
    }
}
