//! Synthetic Korean (and some Vietnamese, Chinese and Filipino) names, weighted roughly like the real population.

use rand::Rng;
use rand::seq::SliceRandom;

/// Surnames with their share in percent (통계청 2015 인구주택총조사, rounded).
const SURNAMES: [(&str, u32); 20] = [
    ("김", 215),
    ("이", 147),
    ("박", 84),
    ("최", 47),
    ("정", 44),
    ("강", 23),
    ("조", 21),
    ("윤", 21),
    ("장", 20),
    ("임", 17),
    ("한", 15),
    ("오", 15),
    ("서", 15),
    ("신", 14),
    ("권", 14),
    ("황", 14),
    ("안", 13),
    ("송", 13),
    ("류", 12),
    ("홍", 11),
];

const GIVEN_OLD_F: [&str; 12] =
    ["영자", "정숙", "순자", "영숙", "명숙", "경자", "정자", "옥순", "말순", "춘자", "숙자", "영희"];
const GIVEN_OLD_M: [&str; 12] =
    ["영수", "영호", "영식", "정수", "상철", "성수", "정호", "광수", "재석", "종수", "병철", "만수"];
const GIVEN_MID_F: [&str; 12] =
    ["지영", "은정", "미영", "현정", "수진", "은영", "지은", "혜진", "선영", "미정", "정은", "유진"];
const GIVEN_MID_M: [&str; 12] =
    ["민수", "성민", "지훈", "현우", "준호", "성훈", "동현", "상현", "재현", "정훈", "민호", "준영"];
const GIVEN_YOUNG_F: [&str; 12] =
    ["서연", "지우", "서윤", "하은", "민서", "하윤", "지유", "윤서", "채원", "수아", "지아", "서아"];
const GIVEN_YOUNG_M: [&str; 12] =
    ["민준", "서준", "도윤", "예준", "시우", "하준", "주원", "지호", "지후", "준우", "건우", "우진"];
const MIGRANT_F: [&str; 8] =
    ["응우옌티흐엉", "쩐티란", "레티투", "팜티마이", "왕리나", "장메이", "마리아산토스", "응우옌티화"];

pub fn surname<R: Rng>(rng: &mut R) -> &'static str {
    let total: u32 = SURNAMES.iter().map(|(_, w)| w).sum();
    let mut pick = rng.gen_range(0..total);
    for (name, weight) in SURNAMES {
        if pick < weight {
            return name;
        }
        pick -= weight;
    }
    SURNAMES[0].0
}

/// A given name fitting the birth year and sex.
pub fn given<R: Rng>(rng: &mut R, birth_year: i32, female: bool) -> &'static str {
    let pool: &[&str] = match (birth_year, female) {
        (..1970, true) => &GIVEN_OLD_F,
        (..1970, false) => &GIVEN_OLD_M,
        (1970..2000, true) => &GIVEN_MID_F,
        (1970..2000, false) => &GIVEN_MID_M,
        (_, true) => &GIVEN_YOUNG_F,
        (_, false) => &GIVEN_YOUNG_M,
    };
    pool.choose(rng).copied().unwrap_or("민준")
}

/// The full name of a marriage migrant, as registered in Hangul.
pub fn migrant<R: Rng>(rng: &mut R) -> &'static str {
    MIGRANT_F.choose(rng).copied().unwrap_or(MIGRANT_F[0])
}

/// Road names of 노원구, for synthetic addresses.
pub const ROADS: [&str; 12] = [
    "동일로",
    "노원로",
    "상계로",
    "한글비석로",
    "공릉로",
    "화랑로",
    "덕릉로",
    "수락산로",
    "중계로",
    "노해로",
    "광운로",
    "섬밭로",
];
