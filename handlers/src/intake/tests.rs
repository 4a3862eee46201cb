//! Judgement and rules-file tests (location and masking are tested beside their code).
//! The phrasings here are deliberately not the corpus's.

use super::*;
use std::sync::LazyLock;

static RULES: LazyLock<Rules> = LazyLock::new(Rules::builtin);

#[test]
fn chit_chat_needs_no_answer() {
    let cases = [
        "收到",
        "好嘞 知道了",
        "OK",
        "1",
        "👍👍",
        "[表情][表情]",
        "[语音]",
        "谢谢网格员 问题已经解决了 辛苦您了",
        "谢谢物业的师傅们 这么快就把电梯修好了",
        "中秋快乐 祝大家阖家团圆",
        "哈哈 我家孩子也是这样",
        "有没有一起打羽毛球的",
        "求推荐附近靠谱的家政阿姨",
        "转让九成新电动车一辆 价格好商量 有需要的联系我",
        "【社区公告】本周五下午三点在社区活动室召开居民代表大会",
        "通知：明天上午9点至11点停电检修 请大家提前做好准备",
        "谁捡到一串车钥匙 上面挂着小熊 我放在门卫室了",
        "接龙 买大米的看这里 2. 李姐 两袋",
    ];
    for text in cases {
        let j = RULES.judge(text);
        assert!(!j.needs_answer, "{text}: {j:?}");
        assert_eq!(j.category, None, "{text}");
    }
}

#[test]
fn problems_and_questions_become_petitions_with_a_category() {
    let cases = [
        ("3单元的电梯又停了 显示屏黑的 按啥都没用", "elevator"),
        ("家里没水了 是全小区停水吗", "water"),
        ("厕所冲不下去 下水道又堵了", "drainage"),
        ("暖气到现在还是凉的 找谁啊", "heating"),
        ("整个单元都没电了 什么情况", "power"),
        ("楼下垃圾桶好几天没人清 味道太大了", "sanitation"),
        ("我家车位天天被外面的车占 物业也不管", "parking"),
        ("楼上的音响开得震天响 都十一点了 还让不让人睡了", "noise"),
        ("小区的树好多都死了 也没人管", "greenery"),
        ("楼道灯坏了 大晚上摸黑上楼", "facilities"),
        (
            "对门把垃圾放门口好几天了 跟他说他还骂人 社区给评个理",
            "dispute",
        ),
        ("小区里有人遛狗不拴绳 我家孩子被吓哭了", "pets"),
        ("有人往楼下扔垃圾袋 差点砸到我 这是高空抛物吧", "safety"),
        ("顶楼有人在加盖阳光房 这是允许的吗", "construction"),
        ("请问廉租房怎么申请 需要什么条件", "policy"),
        ("社区有没有志愿者活动 我想报名参加", "other"),
        // a plain statement of a problem, no question, no request
        ("9号楼的单元门关不严 外人随便进", "facilities"),
        ("楼道里的电线耷拉下来了 一伸手就够着", "power"),
        // a place says where, not what
        ("车棚里的电瓶让人偷了", "safety"),
        ("快递柜旁边的垃圾桶满了 臭的没法取件", "sanitation"),
        // a quarrel decides over the object quarrelled about
        ("两家为了车位的事吵起来了 网格员快来劝劝", "dispute"),
        ("楼上楼下因为噪音的事吵了好几回了 来调解一下吧", "dispute"),
        // the object decides over a symptom shared by many topics
        ("暖气片接头漏水 滴答滴答的", "heating"),
        // water reaching the wiring is urgent, and still a water problem
        ("楼上渗水顺着灯线往下滴 吊灯都一闪一闪的", "water"),
    ];
    for (text, want) in cases {
        let j = RULES.judge(text);
        assert!(j.needs_answer, "{text}: {j:?}");
        assert_eq!(j.category.as_deref(), Some(want), "{text}: {j:?}");
    }
}

#[test]
fn emergencies_written_in_new_ways_are_urgent() {
    use Emergency::*;
    let cases = [
        ("楼道里全是煤气味 谁家没关煤气", Gas),
        ("天然气管道好像在漏气 嘶嘶响", Gas),
        ("热水器排气管掉了 屋里人头晕想吐", Gas),
        ("配电箱一直嗞嗞响 还有股烧焦的味道", Electric),
        ("小区里有人放鞭炮 把垃圾桶点着了 火越来越大", Fire),
        ("我被关电梯里了 7号楼1单元 手机快没电了", Trapped),
        ("小孩被锁在车里了 快来人", Trapped),
        ("阳台的水管裂了 水到处喷 总阀关不上", Flood),
        ("楼下两个人吵架 有个人拿刀了 快报警", Violence),
        ("我家老人在家摔倒了 头磕破了 流了很多血", Medical),
        ("有人晕倒在北门口了 快叫救护车", Medical),
        ("楼上渗水顺着灯线往下滴 吊灯都一闪一闪的", Electric),
        ("插线板着了 冒黑烟", Electric),
        ("燃气灶那边一股味 俺娘说头晕", Gas),
        ("俺爹在卫生间滑倒了 爬不起来", Medical),
        ("楼下有个人倒在地上 叫也不答应", Medical),
        ("孩子把自己反锁在屋里了 才两岁", Trapped),
        ("电梯停在两层中间 里头有人", Trapped),
        ("有个男的举着刀在小区里追人", Violence),
        ("有人坐在楼顶边上说要往下跳", Violence),
    ];
    for (text, kind) in cases {
        let j = RULES.judge(text);
        assert!(j.urgent && j.needs_answer, "{text}: {j:?}");
        assert_eq!(j.emergency, Some(kind), "{text}: {j:?}");
    }
}

#[test]
fn warnings_jokes_and_past_events_are_not_urgent() {
    let cases = [
        "消防通道堆满了杂物 万一着火了都跑不出去",
        "上次我被困在电梯里半小时 到现在都害怕 电梯到底修没修",
        "如发现燃气泄漏 请立即关闭阀门并拨打抢修电话",
        "热水器打不着火了 是不是没气了",
        "这个视频笑得我止不住😂",
        "小区的喷水池真漂亮",
        "今晚吃火锅 有一起的吗",
        "大家注意 最近有人冒充燃气公司上门推销报警器",
        "楼道里堆满了纸箱子 着了火咋办",
        "灶台的火苗发黄 是不是气不纯",
        "孩子把我锁在门外了 钥匙在屋里",
        "超市清仓 跳楼价甩卖",
        "加装电梯资金困难 还装不装了",
        "燃气表没气了 卡里有钱",
    ];
    for text in cases {
        let j = RULES.judge(text);
        assert!(!j.urgent, "{text}: {j:?}");
        assert_eq!(j.emergency, None, "{text}");
    }
}

#[test]
fn emergency_numbers_match_the_kind() {
    assert_eq!(Emergency::Fire.numbers(), ["119"]);
    assert_eq!(Emergency::Trapped.numbers(), ["119"]);
    assert_eq!(Emergency::Medical.numbers(), ["120"]);
    assert_eq!(Emergency::Violence.numbers(), ["110"]);
}

#[test]
fn location_comes_from_buildings_first_then_named_places() {
    let cases = [
        ("欣锦苑十二号楼三单元201室 暖气不热", Some("12号楼3单元201")),
        ("东门口那辆车停了半年了", Some("东门")),
        ("地下车库c区有辆车漏油", Some("地下车库c区")),
        ("北门那个垃圾站满了 6号楼旁边也是", Some("6号楼")),
        ("门卫室没人", None),
    ];
    for (text, want) in cases {
        assert_eq!(RULES.judge(text).location.as_deref(), want, "{text}");
    }
}

#[test]
fn judgement_serialises_for_classify() {
    let j = RULES.judge("着火了 3号楼2单元501 快来人");
    let v = serde_json::to_value(&j).expect("serialises");
    let keys: Vec<&str> = v
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    for key in [
        "needs_answer",
        "category",
        "urgent",
        "location",
        "emergency",
        "matched",
    ] {
        assert!(keys.contains(&key), "{key} missing from {v}");
    }
    assert_eq!(v["emergency"], "fire");
    assert_eq!(v["location"], "3号楼2单元501");
    assert!(
        j.matched.iter().any(|m| m == "urgent:fire:着火"),
        "{:?}",
        j.matched
    );
    let gas = RULES.judge("楼道里全是煤气味");
    assert!(
        gas.matched.iter().any(|m| m == "urgent:gas:煤气+味"),
        "{:?}",
        gas.matched
    );
    let quiet = serde_json::to_value(RULES.judge("收到")).expect("serialises");
    assert!(quiet.get("emergency").is_none());
    assert_eq!(quiet["category"], serde_json::Value::Null);
}

#[test]
fn categories_are_found_by_code_or_chinese_name() {
    assert_eq!(RULES.category_name("elevator"), Some("电梯"));
    assert_eq!(RULES.find_category("电梯"), Some("elevator"));
    assert_eq!(RULES.find_category("Elevator"), Some("elevator"));
    assert_eq!(RULES.find_category("火箭"), None);
    let all = RULES.categories();
    assert_eq!(all.first(), Some(&("property", "物业服务")));
    assert_eq!(all.last(), Some(&("other", "其他")));
    for (code, _) in all {
        let t = RULES.template(code).unwrap_or_default();
        assert!(
            t.chars().count() > 20 && t.ends_with(['。', '！']),
            "{code}: {t}"
        );
    }
    assert!(
        RULES
            .template("elevator")
            .is_some_and(|t| t.contains("96333"))
    );
    assert_eq!(RULES.topic("电梯"), "elevator");
}

const SMALL: &str = r#"
[[categories]]
code = "lift"
name = "升降机"
words = ["升降机"]
template = "已通知维保。"

[[categories]]
code = "other"
name = "其他"

[[cues]]
name = "problem"
weight = 3
words = ["坏了"]
"#;

#[test]
fn an_admin_adds_a_category_without_recompiling() {
    let rules = Rules::from_toml(SMALL).expect("compiles");
    let j = rules.judge("升降机坏了");
    assert!(j.needs_answer);
    assert_eq!(j.category.as_deref(), Some("lift"));
    assert_eq!(rules.template("lift"), Some("已通知维保。"));
    assert!(!rules.judge("你好").needs_answer);
}

#[test]
fn a_bad_rules_file_is_reported_with_its_line_key_and_value() {
    let bad_regex = SMALL.replace(
        "words = [\"升降机\"]",
        "words = [\"升降机\"]\npatterns = [\"(\"]",
    );
    let bad_category = format!("{SMALL}\n[[urgent]]\nkind = \"fire\"\ncategory = \"safety\"\n");
    let cases = [
        (bad_regex, 6, "categories[0].patterns[0]: invalid regex `(`"),
        (
            bad_category,
            19,
            "urgent[0].category: no category has this code: `safety`",
        ),
        (
            SMALL.replace("weight = 3", "weight = \"x\""),
            14,
            "weight = \"x\"",
        ),
        (
            SMALL.replace("template =", "templat ="),
            6,
            "unknown field `templat`",
        ),
        (
            SMALL.replace("code = \"other\"", "code = \"lift\""),
            9,
            "code is used twice: `lift`",
        ),
        (
            SMALL.replace("[\"坏了\"]", "[\"坏了\", \" \"]"),
            15,
            "cues[0].words[1]: a word may not be empty",
        ),
    ];
    for (src, line, says) in cases {
        match Rules::from_toml(&src) {
            Ok(_) => panic!("accepted a bad file expected at line {line}"),
            Err(e) => {
                let text = e.to_string();
                assert_eq!(e.line(), line, "{text}");
                assert!(
                    text.starts_with(&format!("rules file line {line}: ")),
                    "{text}"
                );
                assert!(text.contains(says), "{text}");
            }
        }
    }
}

#[test]
fn rules_without_a_fallback_category_are_refused() {
    let src = "[[categories]]\ncode = \"lift\"\nname = \"升降机\"\n";
    let e = Rules::from_toml(src)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("intake.fallback_category"), "{e}");
}
