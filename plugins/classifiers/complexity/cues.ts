/**
 * The complexity scorer's lexicon: cue patterns in English and Chinese, one RegExp per family, compiled
 * once when the module loads. They name kinds of work ("prove", "trade-off", 并发), not phrases of any
 * particular request. English cues are bounded by `(?<![a-z0-9_])` / `(?![a-z0-9_])` rather than `\b`,
 * so a cue still matches right next to a Chinese character ("用SQL写") but not inside a longer word.
 *
 * The patterns run on LOWER-CASED text and have no `i` flag (it makes the Chinese alternatives several
 * times slower); only ERROR_TRACE and GO_LANGUAGE read the original case. Global patterns are used only
 * through `String.prototype.match` (which restarts from 0) or `search` (which ignores `g`), never
 * `test` or `exec`, so no state leaks between requests.
 */

/** Builds a cue pattern: English alternatives word-bounded, Chinese alternatives as substrings. */
function cues(english: string[], chinese: string[] = []): RegExp {
  const en = english.length ? `(?<![a-z0-9_])(?:${english.join("|")})(?![a-z0-9_])` : "";
  const zh = chinese.join("|");
  return new RegExp([en, zh].filter(Boolean).join("|"), "g");
}

/** Proof and derivation requests. */
export const PROOF = cues(
  [
    "prove", "proves", "proving", "proof", "proofs", "derive", "derivation", "rigou?rous(?:ly)?", "bijective(?:ly)?",
    "bijection", "counter-?examples?", "well-defined", "complete solution", "full solution", "show that",
    "argue carefully", "formally verify", "formal verification", "invariants?",
  ],
  [
    "证明", "求证", "试证", "先证", "再证", "易证", "推导", "严谨", "严格证明", "反例", "完整过程", "完整的过程", "不要跳步", "别跳步",
    "别只举例", "不要只举例", "构造性",
  ],
);

/** Mathematical vocabulary beyond arithmetic. */
export const MATH_TERMS = cues(
  [
    "integers?", "primes?", "prime numbers?", "divisible", "modulo", "polynomials?", "probability", "expected value",
    "differentiable", "continuous", "integral", "integrals", "derivatives?", "converge\\w*", "matri(?:x|ces)",
    "eigen\\w*", "subgroups?", "group theory", "abelian", "(?:finite|cyclic) groups?", "divid(?:es|ing)", "theorem", "lemma", "inequalit(?:y|ies)", "real numbers?",
    "positive reals?", "functions? f", "f\\s*:", "combinatori\\w*", "permutations?", "graph theory", "vertices",
    "induction", "tournaments?", "partitions of", "almost everywhere", "countabl\\w*", "for all real", "generali[sz]e",
    // universal claims: what a proof is about
    "for (?:any|every|all) (?:n|k|positive|real|integer|natural)\\w*", "in (?:any|every)", "(?:can|could|is|does) (?:you|we|it|this|that) always",
    "always (?:possible|true|exists?)", "there (?:always )?exists?", "(?:is|are|does|do) (?:every|all)",
    // combinatorial games
    "game theory", "(?:players?|you) take turns", "winning (?:strategy|position)", "optimal (?:play|strategy)",
  ],
  [
    "定理", "引理", "整除", "素数", "质数", "概率", "期望值", "导数", "积分", "可微", "连续函数", "矩阵", "特征值", "子群",
    "群论", "不等式", "正实数", "正整数", "整数", "实数", "多项式", "数列", "归纳", "函数方程", "组合数", "抽屉原理", "同余", "推广",
    "任给", "任意", "一定能", "总能", "一定存在", "是否存在", "博弈", "必胜", "先手", "后手",
  ],
);

/** Mathematical notation: symbols, superscripts, LaTeX commands, f(x)-style terms. */
export const MATH_SYMBOLS = /[≥≤≠≈∑∏∫√∞∀∃∈∉⊂⊆∪∩ℝℕℤℚℂ²³⁴ⁿ⁻±×÷⇔⇒∘∂]|\\(?:frac|sum|int|sqrt|forall|exists|mathbb|leq?|geq?|cdot|binom|lim|infty)\b|(?<![a-z])[a-z]\s*\(\s*[a-z]\s*[+\-*/·,)]|(?<![a-z0-9])[a-z]\^\{?[0-9a-z]/g;

/** A school-level (K-12) audience: caps a proof or a word problem at the capable tier. */
export const SCHOOL = cues(
  [
    "homework", "my (?:son|daughter|kid|kids|child)", "for (?:my )?(?:class|school)", "textbook", "high school",
    "middle school", "elementary school", "grade \\d+", "\\d+(?:st|nd|rd|th) grade",
  ],
  ["作业", "孩子", "小学", "初中", "高中", "中学", "课本", "教材", "儿子", "女儿"],
);

/** Design and architecture asks, and the vocabulary of weighing options. */
export const DESIGN = cues(
  [
    "design", "architect\\w*", "trade-?offs?", "pros and cons", "failure modes?", "bottlenecks?",
    "scal(?:e|able|ability|ing)", "high availability", "fault[- ]toleran\\w*", "throughput", "availability",
    "sharding", "shards?", "what you'd (?:actually )?ship", "versus", "failure scenarios?", "latency", "failover", "alternatives?", "approach(?:es)?",
  ],
  [
    "设计", "架构", "权衡", "取舍", "利弊", "优缺点", "高可用", "容灾", "容错", "扩展性", "可扩展", "吞吐", "分片", "选型", "方案",
    "故障", "失败场景", "异常场景",
  ],
);

/** Stated scale: traffic, users, regions, module counts. */
export const SCALE =
  /(?<![a-z0-9])\d[\d,.]*\s*(?:k|m|million|billion|thousand)(?![a-z])|(?<![a-z0-9])\d[\d,.]*\s*(?:req(?:uests)?\/s(?:ec)?|events\/s(?:ec)?|rps|qps|tps|users|regions|nodes|servers|(?:micro)?services|modules|views|tables|partitions|consumers|lines|tenants|rows)(?![a-z])|(?<![a-z])(?:dau|mau|qps|tps|p99|p95|sla)(?![a-z])|\d+\s*(?:万|亿|千万|百万)|(?:\d+|几十|上百|数百|上千)\s*多?\s*个?\s*(?:模块|服务|节点|机房|地域|副本|分区)|日活|(?:[千百]?万|亿)级|千万|百万|上亿|海量|毫秒级/g;

/** Concurrency and distributed-systems vocabulary: where mid-tier models miss interleavings. */
export const SYSTEMS = cues(
  [
    "concurren(?:cy|t)", "race conditions?", "data races?", "deadlocks?", "livelocks?", "interleav\\w*", "lock-free",
    "wait-free", "mutex(?:es)?", "atomic(?:s|ally|ity)?", "compare-and-swap", "cas", "memory (?:order\\w*|barriers?|model)",
    "goroutines?", "multi-?thread\\w*", "thread pool", "consensus", "paxos", "raft", "quorums?", "linearizab\\w*",
    "serializab\\w*", "eventual(?:ly)? consisten\\w*", "strong(?:ly)? consisten\\w*", "consistency", "partitioned",
    "network partitions?", "split[- ]brain", "leader election", "replicas?", "replication", "exactly[- ]once",
    "at[- ]least[- ]once", "idempoten\\w*", "rebalanc\\w*", "two-phase commit", "2pc", "distributed", "clock skew",
    "under load", "hangs?", "crash-recovery", "crash failures?", "byzantine", "synchroni[sz]ed clocks", "clock synchroni[sz]ation",
    "failover", "data loss", "lost (?:updates?|writes?|messages?)", "replication lag", "stale reads?", "duplicates?", "orderings?",
  ],
  [
    "并发", "竞态", "死锁", "交错", "时序", "多线程", "原子", "无锁", "一致性", "强一致", "线性一致", "分布式", "分区", "主从",
    "选主", "脑裂", "幂等", "超卖", "重复消费", "加锁", "复制", "丢数据", "数据丢失", "主从切换", "故障转移", "丢消息", "重复投递",
  ],
);

/** High-stakes domains: medical, legal, financial. */
export const STAKES = cues(
  [
    "medications?", "medicines?", "doses?", "dosage", "dosing", "mg", "prescri\\w*", "drugs?", "side effects?",
    "diagnos\\w*", "symptoms?", "inr", "egfr", "kidneys?", "renal", "liver", "pregnan\\w*", "blood pressure",
    "surgery", "chemo\\w*", "cardiolog\\w*", "oncolog\\w*", "patients?", "legal", "laws?", "lawsuits?", "court",
    "sue", "tenants?", "evict\\w*", "contracts?", "liabilit\\w*", "attorney", "lawyers?", "statutes?",
    "regulations?", "complian\\w*", "gdpr", "hipaa", "habitability", "retaliation", "tax(?:es)?", "tax brackets?",
    "brackets?", "401\\(?k\\)?", "ira", "roth", "retire\\w*", "mortgage", "invest\\w*", "portfolio", "estate",
    "annuit\\w*", "social security", "capital gains", "dividends?", "interest rates?", "loans?", "doctor", "physician",
    "gp", "appointment", "potassium", "cholesterol", "nsaids?", "antibiotics?", "blood tests?", "lab results?", "insulin",
    "diabetes", "hospital", "clinic", "midwife", "nurse", "cancer", "tumou?rs?", "infection", "stent", "drug interactions?",
    "interacts? with", "equity", "valuation", "term sheet", "dilution", "anti-dilution", "liquidation preference", "vesting",
    "rsus?", "stock options", "ipo", "acquisition", "cap table", "down round", "founders?",
    "income", "salary", "deductions?", "llc", "s-corp", "c-corp", "self-employ\\w*", "irs",
    // generic drug names by their INN stems; the whole word is matched, then its ending checked (no backtracking)
    "[a-z]{2,}(?<=pril|sartan|olol|statin|azole|mycin|cillin|floxacin|prazole|tidine|dipine|lactone|farin|parin|xaban|gliflozin|formin|oxetine|azepam|codone|profen|lukast|tinib|mab)",
  ],
  [
    "用药", "药", "剂量", "医生", "医院", "复诊", "副作用", "症状", "诊断", "肾", "肝", "血糖", "血压", "糖尿病", "怀孕", "手术",
    "化疗", "法律", "法条", "民法典", "刑法", "律师", "起诉", "诉讼", "合同", "赔偿", "违约", "仲裁", "维权", "取证", "房贷",
    "贷款", "理财", "投资", "税", "利率", "基金", "退休", "保险", "存单", "国债", "股票", "沙坦", "普利", "洛尔", "他汀", "霉素",
    "西林", "沙星", "拉唑", "地平", "双胍", "肝素", "列净", "华法林", "胰岛素", "劳动合同", "劳动法", "支架", "心脏", "相互作用", "股权",
    "估值", "融资", "期权", "对赌", "稀释", "仲裁",
  ],
);

/** Asks for analysis, diagnosis, comparison or careful reasoning. */
export const ANALYSIS = cues(
  [
    "analy[sz]e", "analysis", "analyses", "reason(?:ing)? through", "walk (?:me )?through", "figure out", "diagnose",
    "investigate", "evaluate", "assess\\w*", "compare", "comparison", "why", "root cause", "optimi[sz]e",
    "optimi[sz]ation", "risks?", "scenarios?", "options", "implications", "consequences", "in depth", "thorough(?:ly)?",
    "systematic(?:ally)?", "step by step", "rules of thumb", "not just", "exactly which", "what happens if",
  ],
  [
    "分析", "为什么", "原因", "排查", "评估", "比较", "对比", "推理", "考虑", "情景", "风险", "后果", "优化", "系统地", "深入",
    "逐一", "一步一步", "泛泛", "别只", "具体分析", "可能性", "怎么改", "如何改进",
  ],
);

/** Sequencing words between steps of one request. */
export const SEQUENCE = cues(
  ["then", "after that", "afterwards", "finally", "first", "next", "lastly", "followed by", "and also", "as well as"],
  ["首先", "然后", "接着", "最后", "之后", "其次", "第一", "第二", "第三", "先", "再说", "再分别", "同时"],
);

/** Numbered or bulleted items, at a line start or inline ("1）… 2）…"). */
export const NUMBERED = /(?:^|[\s：:；;，,。])(?:[（(]\d{1,2}[)）]|\d{1,2}[)）.、](?!\d)|[①-⑩])|^\s*[-*•]\s/gm;

/** Multi-step jobs an agent carries out: research, go through a codebase, run, open a PR. */
export const AGENTIC = cues(
  [
    "go through", "find (?:every|all)", "every (?:call site|file|place|usage|occurrence)", "across the (?:repo|codebase|monorepo|code base)",
    "monorepo", "codebase", "run the (?:full )?(?:test )?suite", "run the tests", "open a (?:pr|pull request)",
    "pull request", "research", "gather", "compile a", "put together", "cite", "sources", "crawl\\w*", "scrape",
    "list every", "for each", "open (?:an? )?issues?", "submit a (?:pr|pull request)", "file (?:an? )?(?:issue|ticket|bug)",
  ],
  ["调研", "检索", "搜集", "收集", "整理成", "汇总", "对比表", "写一份", "报告", "出处", "逐个", "每一个", "所有的调用"],
);

/** A single tool call: a web search or lookup, reading a file. */
export const TOOL = cues(
  [
    "search(?: for| the web| online)", "look up", "lookup", "google", "browse", "latest news", "news", "this (?:week|saturday|sunday|weekend)",
    "right now", "read (?:this|the|my) (?:file|pdf|doc|document|attachment)", "uploaded", "attached", "attachment",
    "open (?:the|this) (?:file|link|url)", "weather", "\\w+\\.(?:pdf|docx?|xlsx?|pptx?)", "find me", "near(?:by| me)",
    "open (?:now|late|after \\d)",
  ],
  ["搜一下", "搜索一下", "帮我搜", "上网搜", "搜搜", "查一下", "查查", "上网", "联网", "最新", "最近一周", "新闻", "天气", "读一下", "上传", "附件", "这个文件", "网页", "来源链接", "附近"],
);

/** Asks for a piece of writing of some length. */
export const WRITING =
  /(?<![a-z])(?:write|draft|compose|turn (?:this|it|these|that|them) into)(?![a-z])[^.?!\n]{0,40}(?<![a-z])(?:e-?mail|letter|essay|story|article|post|blog|speech|report|cover letter|poem|toast|review|proposal|statement|bio|announcement|itinerary|itineraries|outline|agenda|schedule|plan)s?(?![a-z])|(?<![a-z0-9])\d{2,4}[\s-]*words?(?![a-z])|(?<![a-z0-9])\d(?:\s*-\s*\d)?[\s-]*paragraphs?(?![a-z])|写[一个封篇份段]?[^。！？\n]{0,10}(?:邮件|信|文章|故事|讲话稿|演讲稿|发言稿|报告|作文|小说|诗|总结|简历|推文|稿|行程|攻略|大纲|计划)|\d{2,4}\s*字/g;

/** Structured extraction: JSON, CSV, fields. */
export const EXTRACT = cues(
  ["as json", "in json", "into json", "to json", "as csv", "into a table", "extract", "pull (?:out|the)", "structured", "fields?"],
  ["整理成", "提取", "抽取", "字段", "结构化", "表格"],
);

/** Verbs that ask for something to be built or changed. */
export const BUILD = cues(
  [
    "write", "implement", "build", "create", "add", "fix", "debug", "refactor", "port", "optimi[sz]e", "generate",
    "make (?:it|this)", "migrate", "update", "how (?:do|would|should|can) (?:i|you|we) (?:write|implement|fix|do|solve)",
  ],
  ["写", "实现", "帮我做", "做个", "搞个", "加个", "加上", "改成", "修复", "修一下", "调试", "重构", "优化", "生成", "怎么写", "怎么解决", "怎么修", "怎么办"],
);

/** Software vocabulary: languages, code artefacts, tooling. */
export const TECH = cues(
  [
    "function", "method", "class", "script", "program", "code", "snippet", "regex", "query", "sql", "endpoint", "api",
    "component", "unit tests?", "pytest", "jest", "cli", "bash", "shell", "python", "javascript", "typescript",
    "java", "golang", "rust", "c\\+\\+", "ruby", "php", "kotlin", "swift", "react", "vue\\d?", "flask", "django",
    "node", "docker", "kubernetes", "k8s", "cron", "crontab", "config", "pagination", "database", "postgres", "mysql",
    "sqlite", "redis", "kafka", "index", "schema", "bug", "compile", "rsync", "html", "css", "json", "csv", "tables?",
    "dockerfile", "containers?", "nginx", "spring(?: boot)?", "maven", "gradle", "npm", "webpack", "terraform", "helm",
    "yaml", "github actions", "workflow", "ci", "pandas", "numpy", "dataframe", "interface", "typescript", "jsx", "http",
    "middleware", "handler", "router", "server",
  ],
  [
    "函数", "脚本", "程序", "代码", "爬虫", "正则", "查询", "接口", "组件", "页面", "单测", "配置", "数据库", "报错", "数据表", "镜像",
    "容器", "部署", "中间件", "服务端", "客户端",
  ],
);

/** Large-scale change: monoliths, legacy, migrations, staged plans. */
export const REFACTOR = cues(
  [
    "monolith\\w*", "legacy", "modules", "microservices?", "codebase", "monorepo", "migrat\\w*", "refactor\\w*",
    "rewrite", "staged", "phased", "incremental(?:ly)?", "without breaking", "backward[- ]compat\\w*", "seams?",
    "call sites?", "cut over", "strangler", "sprints?", "(?:without|zero|no) downtime", "roll(?:ing)? ?backs?",
    "(?:migration|rollout|roll-out|staged|phased) plan", "dual[- ]writes?", "transition", "de-?risk\\w*", "upgrad\\w*",
  ],
  [
    "单体", "遗留", "老系统", "模块", "拆分", "迁移", "重构", "分阶段", "循环依赖", "解耦", "灰度", "升级到", "逐步", "不停机", "不中断",
    "回滚", "双写", "数据校验",
  ],
);

/** Stated requirements and constraints. */
export const CONSTRAINTS = cues(
  [
    "must", "should", "needs? to", "without", "at least", "at most", "within", "no more than", "make sure", "ensure",
    "don't", "do not", "avoid", "only", "exactly", "given that", "even if", "while",
  ],
  ["要求", "必须", "需要", "保证", "确保", "不要", "别", "至少", "不超过", "尽量", "记得", "并且", "而且", "前提"],
);

/** Cheap asks: translate, convert, define, rephrase, summarise in a line. */
export const SIMPLE_ASK = cues(
  [
    "translate", "translation", "how (?:do|would) (?:i|you) say", "in (?:english|chinese|japanese|french|german|spanish|korean|italian)",
    "convert", "conversion", "what does [^?\\n]{1,40} mean", "meaning of", "definition of", "rephrase",
    "reword", "make (?:this|it) (?:sound )?(?:more )?(?:polite|formal|casual|friendly|professional)",
    "proofread", "fix (?:the )?(?:grammar|typos?|spelling)", "summari[sz]e", "sum (?:this|it) up", "boil (?:this|it) down",
    "tl;?dr", "spell", "rename",
  ],
  [
    "翻译", "译成", "译为", "英文(?:一般)?(?:怎么|如何)", "怎么说", "用英语", "换算", "等于多少", "啥意思", "什么意思", "改写",
    "润色", "委婉", "一句话总结", "概括一下", "简单总结", "重命名", "改个名", "变量名",
  ],
);

/** Asks for a short answer. */
export const BRIEF = cues(
  ["one line", "one sentence", "a sentence", "in a word", "briefly", "short answer", "quick answer", "quick question", "yes or no", "i always forget", "i keep forgetting"],
  ["一句话", "简短", "短一点", "简单说", "简单讲", "来着"],
);

/** Small talk, greetings, thanks, closings. */
export const CHITCHAT = cues(
  [
    "hi", "hello", "hey", "howdy", "good (?:morning|afternoon|evening|night)", "how(?:'s| is| are) (?:your|you|it going)",
    "thanks", "thank you", "thx", "cheers", "lol", "haha", "perfect", "awesome", "that (?:fixed|worked|did) it",
    "it works", "works now", "got it", "noted", "much appreciated", "appreciate it",
  ],
  [
    "你好", "您好", "哈喽", "嗨", "早上好", "下午好", "晚上好", "谢谢", "谢了", "谢啦", "感谢", "多谢", "哈哈", "好了", "可以了",
    "解决了", "搞定", "收到", "好嘞", "明白了",
  ],
);

/** A short question's opening or closing. */
export const QUESTION_FORM =
  /^\s*(?:what|what's|who|when|where|which|how (?:many|much|long|far|old)|is|are|can|could|does|do|did|will|should)(?![a-z])|[?？]\s*\S{0,20}$|[吗呢么几]\s*[?？]?\s*$|多少|哪|谁|什么时候/;

/** Role-play openings. */
export const ROLEPLAY = /(?<![a-z])(?:pretend (?:to be|you(?:'re| are))|role-?play|in character)(?![a-z])|^\s*\*[^*\n]{3,120}\*|你现在是|扮演|假装你是/;

/** "Continue", "go on": asks for more of the previous work. */
export const CONTINUATION =
  /^\s*(?:(?:please |ok,? |okay,? )?(?:continue|go on|keep going|carry on|next step|and then\??|more)(?![a-z])|继续|接着|然后呢|下一步|往下|接下来)/;

/** A stack trace or an error report. */
export const ERROR_TRACE =
  /Traceback \(most recent call last\)|(?<![a-z])[A-Z]\w*(?:Error|Exception)(?![a-z])|^\s+at [\w$.<>]+\(.*:\d+\)|(?<![a-z])panic:|segmentation fault|core dumped|OOMKilled|CrashLoopBackOff|exit code \d+|报错|异常/gm;

/** Asks to explain how something works or how things differ: real output, but standard material. */
export const EXPLAIN = cues(
  [
    "explain", "explanation", "what(?:'s| is) the difference", "difference between", "how does [^?\\n]{1,40} work",
    "show (?:me )?(?:a |an )?(?:\\w+ )?examples?", "teach me", "help me understand", "line by line",
  ],
  ["讲讲", "讲解", "讲一下", "讲明白", "解释", "区别", "原理", "怎么算", "是干嘛的", "举个例子", "示例"],
);

/** A question word: each one is roughly one sub-question. */
export const QUESTION_WORD = cues(
  ["what", "how", "why", "which", "whether", "when", "where", "who", "should (?:i|we)", "can (?:i|we|you)", "is (?:it|this|there)", "does"],
  ["什么", "怎么", "如何", "为什么", "哪些", "哪个", "是否", "是不是", "能不能", "要不要", "多少", "有没有", "还是"],
);

/** A quantity question (a word problem asks for a number). */
export const QUANTITY_QUESTION = cues(
  [
    "how (?:many|much|long|far|fast|old)", "what (?:is|was) the (?:original |total |final )?(?:price|cost|number|amount|speed|time|age)",
    "at what time", "what time (?:does|will|do)", "how long until", "when (?:does|will) (?:it|they|the)",
  ],
  ["多少", "几(?:个|只|天|小时|分钟|年|月|次|岁|人|本|块|周|倍|公里|米)", "多久", "多长时间", "各多少", "原价"],
);

/** A pointer from the instruction to pasted material ("translate the text above", "下面这段"). */
export const MATERIAL_REF = cues(
  ["this", "these", "above", "below", "following", "here(?:'s| is| are)", "the text", "the notes"],
  ["上面", "下面", "以下", "如下", "这段", "这篇", "这份", "这些"],
);

/** Security work: audits, vulnerabilities, attacks. */
export const SECURITY = cues(
  [
    "security (?:review|audit|assessment|problems?|issues?|flaws?|holes?|risks?)", "audit", "vulnerabilit(?:y|ies)", "vulnerable", "exploit\\w*", "attackers?",
    "threat model\\w*", "cve-\\d+", "injection", "xss", "csrf", "ssrf", "privilege escalation", "auth(?:entication)? bypass",
    "pentest\\w*", "penetration test\\w*", "remediation", "hardening", "attacks?",
  ],
  ["安全审计", "安全评审", "安全问题", "安全隐患", "漏洞", "攻击", "注入", "越权", "提权", "渗透测试", "加固", "威胁建模", "验签"],
);

/** "Go" the language (the word "go" is too common to count): capitalised, after a preposition or Chinese text. */
export const GO_LANGUAGE = /(?:[\u4e00-\u9fff]\s?|(?<![A-Za-z])(?:in|with|using|a|the|my|our|of|write) )Go(?![A-Za-z])/;
