-- wrk script for bench/load.sh: the directory search API asked 40 of the questions residents ask most, in turn,
-- each thread starting at a different one. After its first answer each question is served from the search's answer
-- cache (kept until the index or the synonyms change), as the head of the queries is in life; the uncached cost of
-- one search is bench/search.sh's figure.

local queries = {
  "돌봄", "아동수당", "기초연금", "장애인", "한부모", "청년", "월세", "어린이집", "보육료", "임신",
  "출산", "노인", "급식", "교육비", "다문화", "방과후", "주거", "의료비", "일자리", "상담",
  "아이돌봄", "긴급복지", "생계급여", "주거급여", "교육급여", "의료급여", "바우처", "산후조리", "난임", "입양",
  "청소년", "학대", "치매", "간병", "재활", "통학", "에너지", "문화누리", "가정폭력", "자립",
}
local i = 0

function init(args)
  i = math.random(#queries)
end

function request()
  i = i % #queries + 1
  return wrk.format("GET", "/api/v1/services/search?q=" .. queries[i]:gsub("[^%w]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end
