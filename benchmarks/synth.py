"""A synthetic archive of the paper for benchmarks: N facts in the shipped base's format.

    python -m benchmarks.synth 100000 /tmp/archive    # writes /tmp/archive/facts.toml and articles/

About 300 figures a day, as a daily paper yields: a year is ~100,000 facts in ~3,000
articles. Facts look like the real ones: Chinese labels built from the same few hundred
words (so many labels are near-duplicates, as in a real archive: the same measure of
the same place, year after year), English labels, aliases, places within places,
topics, figures written the way the paper writes them (近150万亩, 2500余万元, 98.1%),
and a quote that is a sentence of the article. The output passes `yb check`.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

COUNTIES = [("延吉市", "Yanji"), ("图们市", "Tumen"), ("敦化市", "Dunhua"), ("珲春市", "Hunchun"),
            ("龙井市", "Longjing"), ("和龙市", "Helong"), ("汪清县", "Wangqing"), ("安图县", "Antu")]
TOWN_WORDS = ["三道", "朝阳", "东盛", "新兴", "河南", "依兰", "老头沟", "八道", "开山屯", "石门", "月晴", "大兴"]
VILLAGE_WORDS = ["北张芝", "南山", "满河", "光东", "明东", "金达莱", "红旗", "太平", "长安", "东明", "西城", "富民"]
TOPICS = [
    ("ecology", "生态环境", "ecology", ["环保", "生态"], ["空气优良天数", "优良天数比例", "造林面积", "投入资金", "污水处理率",
                                                     "森林覆盖率", "保护区面积", "督察案件"]),
    ("agriculture", "农业", "agriculture", ["农业", "种植"], ["粮食产量", "水稻种植面积", "大豆产量", "农民人均收入",
                                                         "合作社数量", "农机数量", "耕地面积", "农业产值"]),
    ("ginseng", "人参产业", "ginseng", ["人参", "参业"], ["人参种植面积", "鲜参产量", "人参加工企业", "人参产值",
                                                     "林下参面积", "人参产品种类", "加工能力", "品牌认证产品"]),
    ("tourism", "旅游", "tourism", ["旅游", "游客"], ["接待游客人次", "旅游收入", "民宿数量", "景区数量", "采摘节天数",
                                                  "星级酒店", "旅游项目投资", "节庆活动"]),
    ("e-commerce", "电商", "e-commerce", ["电商", "网络零售"], ["网络零售额", "电商服务站", "直播销售额", "快递业务量",
                                                           "电商培训期数", "上线农产品种类", "同比增长", "仓储面积"]),
    ("employment", "就业", "employment", ["就业", "人社"], ["城镇新增就业", "失业率", "技能培训人次", "创业贷款",
                                                        "招聘会场次", "返乡创业人数", "就业岗位", "补贴资金"]),
    ("industry", "工业", "industry", ["工业", "企业"], ["规上企业数量", "工业产值", "固定资产投资", "园区企业",
                                                    "完成投资", "项目数量", "用电量", "增加值增长"]),
    ("culture", "文化体育", "culture", ["文化", "体育"], ["比赛项目", "参赛人数", "演出场次", "图书馆藏书",
                                                       "文化活动", "志愿者人数", "展区数量", "作品数量"]),
]
EN = {"空气优良天数": "good air days", "优良天数比例": "share of good air days", "造林面积": "afforested area",
      "投入资金": "funds invested", "污水处理率": "sewage treatment rate", "森林覆盖率": "forest cover",
      "保护区面积": "reserve area", "督察案件": "inspection cases", "粮食产量": "grain output",
      "水稻种植面积": "rice area", "大豆产量": "soybean output", "农民人均收入": "farmers' income per capita",
      "合作社数量": "cooperatives", "农机数量": "farm machines", "耕地面积": "farmland area",
      "农业产值": "farm output value", "人参种植面积": "ginseng area", "鲜参产量": "fresh ginseng output",
      "人参加工企业": "ginseng processors", "人参产值": "ginseng output value", "林下参面积": "forest ginseng area",
      "人参产品种类": "ginseng product kinds", "加工能力": "processing capacity",
      "品牌认证产品": "brand-certified products", "接待游客人次": "tourist visits", "旅游收入": "tourism revenue",
      "民宿数量": "guesthouses", "景区数量": "scenic spots", "采摘节天数": "picking festival days",
      "星级酒店": "star hotels", "旅游项目投资": "tourism investment", "节庆活动": "festivals",
      "网络零售额": "online retail sales", "电商服务站": "e-commerce stations", "直播销售额": "livestream sales",
      "快递业务量": "parcels", "电商培训期数": "e-commerce training sessions", "上线农产品种类": "products online",
      "同比增长": "year-on-year growth", "仓储面积": "warehouse area", "城镇新增就业": "new urban jobs",
      "失业率": "unemployment rate", "技能培训人次": "skills training", "创业贷款": "start-up loans",
      "招聘会场次": "job fairs", "返乡创业人数": "returnee entrepreneurs", "就业岗位": "jobs offered",
      "补贴资金": "subsidies", "规上企业数量": "large companies", "工业产值": "industrial output value",
      "固定资产投资": "fixed-asset investment", "园区企业": "park companies", "完成投资": "investment completed",
      "项目数量": "projects", "用电量": "power use", "增加值增长": "value-added growth", "比赛项目": "competitions",
      "参赛人数": "competitors", "演出场次": "performances", "图书馆藏书": "library books",
      "文化活动": "cultural events", "志愿者人数": "volunteers", "展区数量": "exhibition areas",
      "作品数量": "works"}
# (how the figure is written, value, unit, qualifier) makers, by the kind of measure
FIGURES = {
    "money": [lambda r: (f"{(n := r.randint(2, 990))}亿元", n * 10**8, "CNY", "exact"),
              lambda r: (f"{(n := r.randint(11, 9999)) / 100:g}亿元", round(n * 10**6), "CNY", "exact"),
              lambda r: (f"{(n := r.randint(10, 9000))}余万元", n * 10**4, "CNY", "over"),
              lambda r: (f"{(n := r.randint(100, 99999))}元", n, "CNY", "exact"),
              lambda r: (f"不足{(n := r.randint(2, 90))}万元", n * 10**4, "CNY", "under")],
    "area": [lambda r: (f"近{(n := r.randint(2, 300))}万亩", n * 10**4, "mu", "nearly"),
             lambda r: (f"{(n := r.randint(101, 99999)) / 100:g}万亩", round(n * 100), "mu", "exact"),
             lambda r: (f"{(n := r.randint(10, 99999)) / 10:g}平方米", n / 10, "m2", "exact")],
    "percent": [lambda r: (f"{(n := r.randint(1, 999)) / 10:g}%", n / 10, "percent", "exact"),
                lambda r: (f"{(n := r.randint(10, 95))}%以上", n, "percent", "at-least")],
    "mass": [lambda r: (f"{(n := r.randint(2, 500)) / 10:g}万吨", round(n * 1000), "t", "exact"),
             lambda r: (f"{(n := r.randint(10, 9000))}万斤", n * 10**4, "jin", "exact")],
    "people": [lambda r: (f"{(n := r.randint(20, 99999))}人次", n, "count", "exact"),
               lambda r: (f"{(n := r.randint(10, 9000))}余名", n, "count", "over")],
    "days": [lambda r: (f"{(n := r.randint(1, 365))}天", n, "day", "exact")],
    "count": [lambda r: (f"{(n := r.randint(2, 900))}个", n, "count", "exact"),
              lambda r: (f"{(n := r.randint(10, 900))}余家", n, "count", "over"),
              lambda r: (f"{(n := r.randint(2, 99))}项", n, "count", "exact")],
}
KIND_WORDS = [("面积", "area"), ("率", "percent"), ("增长", "percent"), ("比例", "percent"), ("资金", "money"),
              ("收入", "money"), ("产值", "money"), ("投资", "money"), ("零售额", "money"), ("销售额", "money"),
              ("贷款", "money"), ("补贴", "money"), ("产量", "mass"), ("能力", "mass"), ("人次", "people"),
              ("人数", "people"), ("就业", "people"), ("天数", "days"), ("量", "mass")]
PINYIN = {"三道": "Sandao", "朝阳": "Chaoyang", "东盛": "Dongsheng", "新兴": "Xinxing", "河南": "Henan",
          "依兰": "Yilan", "老头沟": "Laotougou", "八道": "Badao", "开山屯": "Kaishantun", "石门": "Shimen",
          "月晴": "Yueqing", "大兴": "Daxing", "北张芝": "Beizhangzhi", "南山": "Nanshan", "满河": "Manhe",
          "光东": "Guangdong", "明东": "Mingdong", "金达莱": "Jindalai", "红旗": "Hongqi", "太平": "Taiping",
          "长安": "Chang'an", "东明": "Dongming", "西城": "Xicheng", "富民": "Fumin"}


def _figure(r: random.Random, measure: str) -> tuple[str, object, str, str]:
    kind = next((k for word, k in KIND_WORDS if word in measure), "count")
    return r.choice(FIGURES[kind])(r)


VERBS = ["达到", "为", "实现", "完成", "增至", "累计达"]
PARAGRAPH_FACTS = 4
ARTICLE_FACTS = 33  # ~ a year of 8 articles a day holds 100,000 facts in ~3,000 articles


def _places(r: random.Random) -> list[tuple[str, str, str]]:
    """(name, English, within) for the prefecture, its counties, towns and villages."""
    places = [("延边州", "Yanbian", "")]
    for county, en in COUNTIES:
        places.append((county, en, "延边州"))
        for t in r.sample(TOWN_WORDS, 4):
            town = f"{t}{'镇' if county.endswith('市') else '乡'}"
            places.append((county[:2] + town, f"{PINYIN[t]}, {en}", county))
            for v in r.sample(VILLAGE_WORDS, 3):
                places.append((county[:2] + t + v + "村", f"{PINYIN[v]} village, {PINYIN[t]}, {en}", county[:2] + town))
    return places


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(n: int, out: Path, seed: int = 7, pages: bool = True) -> Path:
    """Write the archive; returns the path of facts.toml.

    `pages` (schema 2, the default): each article is a file of its issue's folder (articles/YYYY-MM-DD/),
    with its date and its own facts, and each fact names its metric (the measure of one place, followed
    across the years: a series); otherwise schema 1, every fact in facts.toml.
    """
    import datetime

    r = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "articles").mkdir(exist_ok=True)
    places = _places(r)
    facts_out = open(out / "facts.toml", "w", encoding="utf-8")
    w = facts_out.write
    w(f"# A synthetic archive for benchmarks (benchmarks/synth.py); not real figures.\nschema = {2 if pages else 1}\n\n")
    w('[publication]\npaper = "延边日报"\nyear = 2022\n\n')
    n_articles = max(1, -(-n // ARTICLE_FACTS))
    first_day = datetime.date(2019, 1, 1)
    if not pages:
        w("[articles]\n")
        for a in range(n_articles):
            w(f'a{a:06d} = "articles/a{a:06d}.toml"\n')
    for tid, label, en, aliases, _ in TOPICS:
        w(f"\n[topic.{tid}]\nlabel = {_q(label)}\nlabel_en = {_q(en)}\naliases = [{', '.join(map(_q, aliases))}]\n")
    for name, en, within in places:
        w(f"\n[place.{_q(name)}]\nlabel_en = {_q(en)}\naliases = [{_q(name[:-1])}]\nwithin = {_q(within)}\n")
    made = 0
    for a in range(n_articles):
        tid, tlabel, ten, _, measures = TOPICS[a % len(TOPICS)]
        day = a // 8
        month, mday = 1 + (day // 28) % 12, 1 + day % 28
        date = first_day + datetime.timedelta(days=day)
        paragraphs: list[str] = []
        facts: list[str] = []
        count = min(ARTICLE_FACTS, n - made)
        sentences: list[str] = []
        for i in range(count):
            place, place_en, _ = r.choice(places)
            measure = r.choice(measures)
            text, value, unit, qualifier = _figure(r, measure)
            year = r.choice([2019, 2020, 2021, 2022]) if not pages else r.choice([date.year - 1, date.year])
            said = f"{year}年" if not pages or year == date.year else "去年"
            sentence = f"{said},{place}{measure}{r.choice(VERBS)}{text}"
            sentences.append(sentence)
            paragraph = len(sentences) // PARAGRAPH_FACTS + 1 if len(sentences) % PARAGRAPH_FACTS else len(sentences) // PARAGRAPH_FACTS
            fid = f"{tid}-{made:07d}"
            label = f"{place}{measure}"
            facts.append(
                f"\n[[fact]]\nid = {_q(fid)}\nlabel = {_q(label)}\n"
                f"label_en = {_q(f'{EN[measure]} in {place_en}, {year}')}\n"
                f"aliases = [{_q(measure)}, {_q(EN[measure])}, {_q(place[:2] + measure)}]\n"
                f"text = {_q(text)}\nvalue = {value!r}\nunit = {_q(unit)}\nqualifier = {_q(qualifier)}\n"
                f"place = {_q(place)}\nperiod = {_q(said)}\ntopic = {_q(tid)}\n"
                f"source = {{ article = {_q(f'a{a:06d}')}, paragraph = {paragraph}, quote = {_q(sentence)} }}\n"
                + (f"metric = {_q(_slug(EN[measure]) + '-p' + str(places.index((place, place_en, _))))}\n" if pages else "")
            )
            made += 1
        for start in range(0, len(sentences), PARAGRAPH_FACTS):
            paragraphs.append("。".join(sentences[start:start + PARAGRAPH_FACTS]) + "。")
        title = f"{tlabel}:{month}月{mday}日综述"
        folder = out / "articles" / date.isoformat() if pages else out / "articles"
        folder.mkdir(exist_ok=True)
        (folder / f"a{a:06d}.toml").write_text(
            f"id = {_q(f'a{a:06d}')}\ntitle = {_q(title)}\ntitle_en = {_q(f'{ten}: review of {month}/{mday}')}\n"
            f'byline = "记者甲"\nkind = "article"\nsection = ""\ntopic = {_q(tid)}\n'
            + (f'date = "{date.isoformat()}"\npage = "{1 + a % 8}"\n' if pages else "")
            + f"paragraphs = [{', '.join(map(_q, paragraphs))}]\n" + ("".join(facts) if pages else ""),
            encoding="utf-8",
        )
        if not pages:
            w("".join(facts))
    facts_out.close()
    return out / "facts.toml"


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m benchmarks.synth N OUTPUT_FOLDER")
    print(generate(int(sys.argv[1]), Path(sys.argv[2])))
