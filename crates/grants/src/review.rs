//! Reviewers' scores (심사) for grant applications and best-practice contest entries alike: a rubric of criteria
//! with their most points, each reviewer's points per criterion, and the result. With five reviewers or more the
//! highest and the lowest total are set aside (최고·최저 점수 제외), as Korean public reviews do, so one reviewer
//! cannot carry or sink an application; the rest are averaged. Ties go to the higher points on the rubric's
//! first criterion, then the next.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub code: String,
    pub name: String,
    pub max_points: u32,
}

/// One reviewer's points, in the rubric's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sheet {
    pub reviewer: String,
    pub points: Vec<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("{given} scores for {criteria} criteria")]
    WrongCount { given: usize, criteria: usize },
    #[error("{points} is more than the {max} points of {code}")]
    OverMax { code: String, points: u32, max: u32 },
}

/// Checks one sheet against the rubric.
pub fn check_sheet(rubric: &[Criterion], points: &[u32]) -> Result<(), SheetError> {
    if points.len() != rubric.len() {
        return Err(SheetError::WrongCount { given: points.len(), criteria: rubric.len() });
    }
    for (c, p) in rubric.iter().zip(points) {
        if *p > c.max_points {
            return Err(SheetError::OverMax { code: c.code.clone(), points: *p, max: c.max_points });
        }
    }
    Ok(())
}

/// The reviewers needed before the extremes are set aside.
pub const TRIM_FROM: usize = 5;

/// An application's result: the average in hundredths of a point (7350 is 73.50), the average per criterion in
/// hundredths, which sheets counted and which were set aside.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub score_hundredths: u32,
    pub per_criterion_hundredths: Vec<u32>,
    pub counted: Vec<String>,
    pub set_aside: Vec<String>,
}

/// The result of the sheets of one application (checked sheets only); `None` without any.
pub fn result(sheets: &[Sheet]) -> Option<Outcome> {
    if sheets.is_empty() {
        return None;
    }
    let total = |s: &Sheet| s.points.iter().sum::<u32>();
    let mut order: Vec<&Sheet> = sheets.iter().collect();
    // Stable by reviewer for equal totals, so which of two equal sheets is set aside does not depend on order.
    order.sort_by(|a, b| total(a).cmp(&total(b)).then_with(|| a.reviewer.cmp(&b.reviewer)));
    let (counted, set_aside): (Vec<&Sheet>, Vec<&Sheet>) = if order.len() >= TRIM_FROM {
        let last = order.len() - 1;
        let (mut kept, mut dropped) = (Vec::new(), Vec::new());
        for (i, s) in order.into_iter().enumerate() {
            if i == 0 || i == last { dropped.push(s) } else { kept.push(s) }
        }
        (kept, dropped)
    } else {
        (order, Vec::new())
    };
    let n = counted.len() as u64;
    let average = |sum: u64| ((sum * 100 + n / 2) / n) as u32;
    let criteria = counted[0].points.len();
    let per_criterion = (0..criteria).map(|i| average(counted.iter().map(|s| u64::from(s.points[i])).sum())).collect();
    Some(Outcome {
        score_hundredths: average(counted.iter().map(|s| u64::from(total(s))).sum()),
        per_criterion_hundredths: per_criterion,
        counted: counted.iter().map(|s| s.reviewer.clone()).collect(),
        set_aside: set_aside.iter().map(|s| s.reviewer.clone()).collect(),
    })
}

/// Ranks results, best first: by score, then by the rubric's criteria in order; indexes into `results`.
pub fn rank(results: &[Outcome]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..results.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&results[a], &results[b]);
        y.score_hundredths
            .cmp(&x.score_hundredths)
            .then_with(|| y.per_criterion_hundredths.cmp(&x.per_criterion_hundredths))
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rubric() -> Vec<Criterion> {
        [("need", "사업 필요성", 30), ("plan", "실행 계획", 40), ("budget", "예산 적정성", 30)]
            .into_iter()
            .map(|(c, n, m)| Criterion { code: c.into(), name: n.into(), max_points: m })
            .collect()
    }

    fn sheet(who: &str, points: [u32; 3]) -> Sheet {
        Sheet { reviewer: who.into(), points: points.to_vec() }
    }

    #[test]
    fn a_sheet_fits_its_rubric() {
        assert_eq!(check_sheet(&rubric(), &[30, 40]), Err(SheetError::WrongCount { given: 2, criteria: 3 }));
        assert_eq!(
            check_sheet(&rubric(), &[31, 40, 30]),
            Err(SheetError::OverMax { code: "need".into(), points: 31, max: 30 })
        );
        assert_eq!(check_sheet(&rubric(), &[30, 40, 30]), Ok(()));
    }

    #[test]
    fn with_five_reviewers_the_highest_and_lowest_are_set_aside() {
        let sheets = [
            sheet("a", [25, 30, 20]),
            sheet("b", [10, 10, 10]),
            sheet("c", [24, 32, 21]),
            sheet("d", [30, 40, 30]),
            sheet("e", [26, 28, 22]),
        ];
        let r = result(&sheets).unwrap();
        assert_eq!(r.set_aside, vec!["b".to_string(), "d".to_string()]);
        assert_eq!(r.counted, vec!["a".to_string(), "e".to_string(), "c".to_string()]);
        assert_eq!(r.score_hundredths, 7600, "(75 + 76 + 77) / 3");
        assert_eq!(r.per_criterion_hundredths, vec![2500, 3000, 2100]);
        let few = result(&sheets[..2]).unwrap();
        assert!(few.set_aside.is_empty());
        assert_eq!(few.score_hundredths, 5250, "(75 + 30) / 2");
        assert_eq!(result(&[]), None);
    }

    #[test]
    fn ties_go_to_the_first_criterion() {
        let x = result(&[sheet("a", [20, 40, 20])]).unwrap();
        let y = result(&[sheet("a", [30, 30, 20])]).unwrap();
        let z = result(&[sheet("a", [30, 40, 30])]).unwrap();
        assert_eq!(rank(&[x, y, z]), vec![2, 1, 0]);
    }
}
