//! The dictionaries of `dict/`, loaded once into name tables and Aho-Corasick automata.
//!
//! Takes the TSV files (built into the binary, or read from a directory with `--dict`) and gives a
//! [`Lexicon`]: every surface form (current name, former name, ST form, full name, nickname, concept
//! alias, organisation alias) mapped to what it names. The recogniser finds every form once per
//! article and decides between the candidates with the article's context.

use std::cmp::Reverse;
use std::path::Path;

use aho_corasick::{Match, PatternID};
use daachorse::{
    CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder,
    MatchKind as DoubleArrayMatchKind,
};
use pinyin::ToPinyin;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::calendar::Day;
use crate::error::{Error, Result};
use crate::history::{NameHistory, Resolution, Run};
use crate::normalize::NormText;

/// A listed (or formerly listed) A-share company.
#[derive(Debug, Clone)]
pub struct Stock {
    /// Six-digit code.
    pub code: String,
    /// `SH`, `SZ` or `BJ`.
    pub exchange: String,
    /// Current short name.
    pub name: String,
    /// Registered full name, possibly empty.
    pub full_name: String,
    /// Industry (tushare taxonomy), possibly empty.
    pub industry: String,
    /// Still listed (status `L`) or of unknown status.
    pub listed: bool,
}

/// A concept / theme board.
#[derive(Debug, Clone)]
pub struct Concept {
    /// Canonical name.
    pub name: String,
    /// Constituent stock indices, where known.
    pub constituents: Vec<u32>,
}

/// A company or body that is not an A-share stock.
#[derive(Debug, Clone)]
pub struct Organization {
    /// Canonical name.
    pub name: String,
    /// `company`, `regulator`, `fund`, `exchange` or `other`.
    pub kind: String,
}

/// How a surface form names its target; decides precedence between candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FormKind {
    /// The current short name.
    Current,
    /// An ST / *ST variant of a current or former name.
    StForm,
    /// A former short name.
    Former,
    /// The registered full name.
    FullName,
    /// A trader nickname from `aliases.tsv` (may name several stocks).
    Alias,
    /// A concept name or alias.
    Concept,
    /// An organisation name or alias.
    Organization,
}

/// One meaning of a surface form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sense {
    /// How the form names the target.
    pub form: FormKind,
    /// Index into stocks, concepts or organisations (by `form`); for aliases, into `alias_targets`.
    pub target: u32,
}

/// All dictionaries, loaded once and shared read-only by every worker.
pub struct Lexicon {
    /// Every stock of `stocks.tsv`.
    pub stocks: Vec<Stock>,
    /// Every concept of `concepts.tsv` and `concepts_extra.tsv`.
    pub concepts: Vec<Concept>,
    /// Every organisation of `organizations.tsv`.
    pub organizations: Vec<Organization>,
    /// Stock indices of each alias.
    pub alias_targets: Vec<Vec<u32>>,
    /// Words of `finance_words.txt` (given to the segmenter).
    pub finance_words: Vec<String>,
    by_code: FxHashMap<String, u32>,
    /// Surface forms, in automaton pattern order.
    patterns: Vec<String>,
    senses: Vec<Vec<Sense>>,
    pattern_ids: FxHashMap<String, u32>,
    ambiguous: FxHashSet<String>,
    /// Over the surface forms but company names, ASCII letters lowercased (see
    /// [`Lexicon::find_forms`]); its value is the pattern id (index of `patterns`). `None` when
    /// the dictionaries hold no such form.
    automaton: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
    /// The company names.
    companies: Companies,
    /// The stocks with a 4-character current name in each of its slots, with the pinyin hash of
    /// the blanked character.
    homophones: FxHashMap<HomophoneSlot, Vec<(u64, u32)>>,
    /// Which code bore each contested name when (`name_history.tsv`).
    history: NameHistory,
    /// See [`Lexicon::fingerprint`].
    fingerprint: String,
}

/// The dictionary files, as bundled into the binary or read from a `--dict` directory.
struct Sources<'a> {
    stocks: &'a str,
    concepts: &'a str,
    concepts_extra: &'a str,
    aliases: &'a str,
    organizations: &'a str,
    ambiguous: &'a str,
    finance_words: &'a str,
    name_history: &'a str,
}

const BUILTIN: Sources<'static> = Sources {
    stocks: include_str!("../dict/stocks.tsv"),
    concepts: include_str!("../dict/concepts.tsv"),
    concepts_extra: include_str!("../dict/concepts_extra.tsv"),
    aliases: include_str!("../dict/aliases.tsv"),
    organizations: include_str!("../dict/organizations.tsv"),
    ambiguous: include_str!("../dict/ambiguous.tsv"),
    finance_words: include_str!("../dict/finance_words.txt"),
    name_history: include_str!("../dict/name_history.tsv"),
};

/// The file names of a dictionary directory, in the order [`Sources`] lists them.
const FILE_NAMES: [&str; 8] = [
    "stocks.tsv",
    "concepts.tsv",
    "concepts_extra.tsv",
    "aliases.tsv",
    "organizations.tsv",
    "ambiguous.tsv",
    "finance_words.txt",
    "name_history.tsv",
];

impl Sources<'_> {
    fn texts(&self) -> [&str; 8] {
        [
            self.stocks,
            self.concepts,
            self.concepts_extra,
            self.aliases,
            self.organizations,
            self.ambiguous,
            self.finance_words,
            self.name_history,
        ]
    }
}

/// Where the dictionaries come from: a base (the built-in files, or a directory whose files
/// replace them one by one) and user dictionaries merged over it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DictionarySources {
    /// A directory laid out like `dict/` (`--dict`); a file it lacks is the built-in one.
    pub base: Option<std::path::PathBuf>,
    /// User dictionaries, each a directory holding any of `dict/`'s files or a single such
    /// file; added to the base in order.
    pub user: Vec<std::path::PathBuf>,
}

/// What a user dictionary file holds (by its name, else by its header line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DictFile {
    /// `stocks.tsv`: code, exchange, name, forms, full_name, industry, status.
    Stocks,
    /// `concepts.tsv` / `concepts_extra.tsv`: name, aliases, ….
    Concepts,
    /// `aliases.tsv`: alias, codes, note.
    Aliases,
    /// `organizations.tsv`: name, aliases, kind, note.
    Organizations,
    /// `ambiguous.tsv`: name, code, why.
    Ambiguous,
    /// `finance_words.txt`: one word a line.
    FinanceWords,
}

impl DictFile {
    /// The kind a file's name says (`aliases.tsv`, `my_aliases.tsv` …), else its header.
    fn of(path: &Path, text: &str) -> Option<DictFile> {
        let name = path.file_name()?.to_string_lossy().to_lowercase();
        let by_name = [
            ("finance_words", DictFile::FinanceWords),
            ("stocks", DictFile::Stocks),
            ("concepts", DictFile::Concepts),
            ("aliases", DictFile::Aliases),
            ("organizations", DictFile::Organizations),
            ("ambiguous", DictFile::Ambiguous),
        ];
        if let Some((_, kind)) = by_name.iter().find(|(n, _)| name.contains(n)) {
            return Some(*kind);
        }
        let header: Vec<&str> = text.lines().next()?.trim().split('\t').collect();
        Some(match header.as_slice() {
            ["code", "exchange", ..] => DictFile::Stocks,
            ["alias", ..] => DictFile::Aliases,
            ["name", "aliases", "kind", ..] => DictFile::Organizations,
            ["name", "code", ..] => DictFile::Ambiguous,
            ["name", "aliases", ..] => DictFile::Concepts,
            _ => return None,
        })
    }
}

/// One file of a user dictionary, read.
struct UserFile {
    kind: DictFile,
    /// Its path, as error messages name it.
    label: String,
    text: String,
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })
}

/// The files of a user dictionary: a directory's known files (any may be missing), or one file.
fn user_files(path: &Path) -> Result<Vec<UserFile>> {
    if path.is_dir() {
        let mut files = Vec::new();
        for name in FILE_NAMES.iter().filter(|n| **n != "name_history.tsv") {
            let file = path.join(name);
            if file.is_file() {
                let text = read_text(&file)?;
                let kind = DictFile::of(&file, &text).expect("known file name");
                let label = file.display().to_string();
                files.push(UserFile { kind, label, text });
            }
        }
        return Ok(files);
    }
    let text = read_text(path)?;
    let kind = DictFile::of(path, &text).ok_or_else(|| Error::Dictionary {
        file: path.display().to_string(),
        line: 1,
        row: format!(
            "{} (not a dictionary file: name it like stocks.tsv, aliases.tsv, concepts.tsv, \
             organizations.tsv, ambiguous.tsv or finance_words.txt, or give it their header)",
            text.lines().next().unwrap_or("")
        ),
    })?;
    let label = path.display().to_string();
    Ok(vec![UserFile { kind, label, text }])
}

/// Rows of a TSV file without its header, with 1-based line numbers; blank and `#` lines skipped.
fn rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r').split('\t').collect()))
}

fn split_list<'a>(field: Option<&&'a str>) -> impl Iterator<Item = &'a str> {
    field
        .copied()
        .unwrap_or("")
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The words of a `finance_words.txt`: the first field of each line, `#` lines left out.
fn words(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| !w.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// blake3 over every dictionary text, each after its name and length (so that moving a row from
/// one file to another changes the fingerprint too).
fn fingerprint(src: &Sources, user: &[UserFile]) -> String {
    let mut hasher = blake3::Hasher::new();
    let mut add = |name: &str, text: &str| {
        hasher.update(name.as_bytes());
        hasher.update(&(text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    };
    for (name, text) in FILE_NAMES.iter().zip(src.texts()) {
        add(name, text);
    }
    for f in user {
        add(&format!("user {:?}", f.kind), &f.text);
    }
    hasher.finalize().to_hex()[..16].to_string()
}

fn bad_row(file: &str, line: usize, row: &[&str]) -> Error {
    Error::Dictionary {
        file: file.to_string(),
        line,
        row: row.join("\t"),
    }
}

/// Where a four-character name may hide a homophone typo: the name with the character at one
/// position blanked out, and that position. Names sharing such a slot differ at most in that
/// character; they are homophones when its toneless pinyin is the same ([`pinyin_hash`]).
pub(crate) type HomophoneSlot = ([char; 4], u8);

fn pinyin_hash(c: char) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    match c.to_pinyin() {
        Some(p) => h.write(p.plain().as_bytes()),
        None => h.write_u32(c as u32),
    }
    h.finish()
}

/// The four slots of a four-character name, each with the blanked character.
fn homophone_slots(chars: [char; 4]) -> impl Iterator<Item = (HomophoneSlot, char)> {
    (0..4).map(move |i| {
        let mut blanked = chars;
        blanked[i] = '\0';
        ((blanked, i as u8), chars[i])
    })
}

/// The characters of a name of exactly four characters.
pub(crate) fn four_chars(name: &str) -> Option<[char; 4]> {
    let mut chars = name.chars();
    let four = [chars.next()?, chars.next()?, chars.next()?, chars.next()?];
    chars.next().is_none().then_some(four)
}

impl Lexicon {
    /// The dictionaries bundled into the binary at build time.
    pub fn builtin() -> Result<Lexicon> {
        Lexicon::from_sources(&BUILTIN, &[])
    }

    /// Reads the dictionaries from a directory laid out like `dict/`; a file it lacks is the
    /// built-in one, so a directory holding only `aliases.tsv` replaces only the aliases.
    pub fn load(dir: &Path) -> Result<Lexicon> {
        Lexicon::load_from(&DictionarySources {
            base: Some(dir.to_path_buf()),
            user: Vec::new(),
        })
    }

    /// The base dictionaries with the user dictionaries merged over them: their stocks added
    /// (a known code takes the user's name, its old name becoming a former name), their aliases,
    /// concepts (a known concept name gains the aliases), organisations, ambiguous names and
    /// finance words added. A user dictionary may hold any of the files; a malformed row is an
    /// error naming its file and line.
    pub fn load_from(sources: &DictionarySources) -> Result<Lexicon> {
        let mut base_files: [Option<String>; 8] = Default::default();
        if let Some(dir) = &sources.base {
            if !dir.is_dir() {
                return Err(Error::Io {
                    path: dir.display().to_string(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "no dictionary directory here",
                    ),
                });
            }
            for (slot, name) in base_files.iter_mut().zip(FILE_NAMES) {
                let path = dir.join(name);
                if path.is_file() {
                    *slot = Some(read_text(&path)?);
                }
            }
        }
        let builtin = BUILTIN.texts();
        let pick = |i: usize| -> &str { base_files[i].as_deref().unwrap_or(builtin[i]) };
        let base = Sources {
            stocks: pick(0),
            concepts: pick(1),
            concepts_extra: pick(2),
            aliases: pick(3),
            organizations: pick(4),
            ambiguous: pick(5),
            finance_words: pick(6),
            name_history: pick(7),
        };
        let mut user = Vec::new();
        for path in &sources.user {
            user.extend(user_files(path)?);
        }
        Lexicon::from_sources(&base, &user)
    }

    fn from_sources(src: &Sources, user: &[UserFile]) -> Result<Lexicon> {
        let of = |kind: DictFile| user.iter().filter(move |f| f.kind == kind);
        let mut builder = Builder::default();
        builder.stocks(src.stocks, "stocks.tsv", false)?;
        for f in of(DictFile::Stocks) {
            builder.stocks(&f.text, &f.label, true)?;
        }
        builder.concepts(src.concepts, "concepts.tsv")?;
        builder.concepts(src.concepts_extra, "concepts_extra.tsv")?;
        for f in of(DictFile::Concepts) {
            builder.concepts(&f.text, &f.label)?;
        }
        builder.aliases(src.aliases, "aliases.tsv")?;
        for f in of(DictFile::Aliases) {
            builder.aliases(&f.text, &f.label)?;
        }
        builder.organizations(src.organizations, "organizations.tsv")?;
        for f in of(DictFile::Organizations) {
            builder.organizations(&f.text, &f.label)?;
        }
        builder.ambiguous(src.ambiguous, "ambiguous.tsv", false)?;
        for f in of(DictFile::Ambiguous) {
            builder.ambiguous(&f.text, &f.label, true)?;
        }
        let mut finance_words = words(src.finance_words);
        for f in of(DictFile::FinanceWords) {
            finance_words.extend(words(&f.text));
        }
        let history = NameHistory::parse(src.name_history)?;
        let fingerprint = fingerprint(src, user);
        let mut lexicon = builder.finish(finance_words, history)?;
        lexicon.fingerprint = fingerprint;
        Ok(lexicon)
    }

    /// A fingerprint of the dictionaries this lexicon was built from (built-in or `--dict`
    /// files and user dictionaries): 16 hex digits of a blake3 hash of their text. An index
    /// records it, so that a search can tell when the dictionaries changed since.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The stock with this code.
    pub fn stock_by_code(&self, code: &str) -> Option<(u32, &Stock)> {
        self.by_code
            .get(code)
            .map(|&i| (i, &self.stocks[i as usize]))
    }

    /// The stock at an index.
    pub fn stock(&self, index: u32) -> &Stock {
        &self.stocks[index as usize]
    }

    /// Every surface form in `text`, leftmost-longest, ASCII letters matched whatever their case
    /// (`hbm` is HBM, `*st` is *ST).
    ///
    /// The automaton is a character-wise double-array Aho-Corasick automaton (daachorse): one
    /// transition per character where a byte-wise one takes three per han character, so it
    /// searches 2.3 times as fast as aho-corasick's contiguous NFA over the same forms, finding
    /// the same matches, and builds faster. Two more things keep it quick to build (building it
    /// is most of fupan's start-up) while the matches stay exactly those of one leftmost-longest
    /// automaton over every form:
    /// - the forms are held with their ASCII letters lowercased and a lowercased copy of the text
    ///   is searched (lowercasing ASCII keeps every byte offset), instead of the automaton's own
    ///   case-insensitive mode, which adds a second transition for every letter of the 15,000 ST
    ///   forms;
    /// - company names (the 5,500 forms ending in 公司) are not in the automaton: they are looked
    ///   up at each 公司 of the text, and the two sets of matches are merged by the
    ///   leftmost-longest rule. With them, the automaton took three times as long to build.
    pub fn find_forms(&self, text: &str) -> Vec<Match> {
        let lowered;
        let hay = if text.bytes().any(|b| b.is_ascii_uppercase()) {
            lowered = text.to_ascii_lowercase();
            lowered.as_str()
        } else {
            text
        };
        let companies = self.companies.find_all(hay);
        let mut found = Vec::new();
        let (mut at, mut next_company) = (0, 0);
        // the main automaton's next match from an earlier position: still the next one from `at`
        // as long as it starts at or after `at`
        let mut other: Option<Match> = None;
        let mut other_done = false;
        while at < hay.len() {
            if !other_done && other.is_none_or(|m| m.start() < at) {
                other = self.automaton.as_ref().and_then(|automaton| {
                    let m = automaton.leftmost_find_iter(&hay[at..]).next()?;
                    let id = PatternID::new(m.value() as usize).ok()?;
                    Some(Match::new(id, at + m.start()..at + m.end()))
                });
                other_done = other.is_none();
            }
            while companies.get(next_company).is_some_and(|c| c.start() < at) {
                next_company += 1;
            }
            let best = match (other, companies.get(next_company)) {
                // never the same span: a form is in exactly one of the two sets
                (Some(o), Some(&c))
                    if (c.start(), Reverse(c.end())) < (o.start(), Reverse(o.end())) =>
                {
                    c
                }
                (Some(o), _) => o,
                (None, Some(&c)) => c,
                (None, None) => break,
            };
            found.push(best);
            at = best.end();
        }
        found
    }

    /// The surface form of an automaton pattern.
    pub fn pattern(&self, id: usize) -> &str {
        &self.patterns[id]
    }

    /// The meanings of an automaton pattern.
    pub fn senses(&self, id: usize) -> &[Sense] {
        &self.senses[id]
    }

    /// The meanings of a surface form, if it is in the dictionaries.
    pub fn senses_of(&self, form: &str) -> &[Sense] {
        match self.pattern_ids.get(form) {
            Some(&id) => &self.senses[id as usize],
            None => &[],
        }
    }

    /// The codes of the stocks a user's query names, for filters (`stock:`, `--stock`): a code
    /// with or without its exchange (`603629`, `sh603629`, `603629.SH`), or a current, former or
    /// full name, an ST form or a nickname, in either script and width (the query goes through
    /// [`NormText`] as article text does). Sorted, without repeats; empty when nothing matches.
    pub fn stock_codes_named(&self, query: &str) -> Vec<String> {
        let norm = NormText::new(query.trim()).text;
        if let Some(code) = code_in_query(&norm) {
            return vec![code.to_string()];
        }
        let mut codes: Vec<String> = Vec::new();
        for sense in self.senses_of(&norm) {
            let targets: &[u32] = match sense.form {
                FormKind::Alias => &self.alias_targets[sense.target as usize],
                FormKind::Concept | FormKind::Organization => &[],
                FormKind::Current | FormKind::StForm | FormKind::Former | FormKind::FullName => {
                    std::slice::from_ref(&sense.target)
                }
            };
            codes.extend(targets.iter().map(|&i| self.stock(i).code.clone()));
        }
        codes.sort();
        codes.dedup();
        codes
    }

    /// The canonical name of the concept a user's query names (a name or an alias, in either
    /// script), or `None` when the dictionaries have no such concept.
    pub fn concept_named(&self, query: &str) -> Option<&str> {
        let norm = NormText::new(query.trim()).text;
        self.senses_of(&norm)
            .iter()
            .find(|s| s.form == FormKind::Concept)
            .map(|s| self.concepts[s.target as usize].name.as_str())
    }

    /// True when a user's query is a concept's name rather than a stock's.
    pub fn names_a_concept(&self, query: &str) -> bool {
        let norm = NormText::new(query.trim()).text;
        self.senses_of(&norm)
            .first()
            .is_some_and(|s| s.form == FormKind::Concept)
    }

    /// True when the form is listed in `ambiguous.tsv` (a stock name that is also an ordinary word),
    /// or is written in Chinese numerals only (二三四五 also counts places on a ladder).
    pub fn is_ambiguous(&self, form: &str) -> bool {
        self.ambiguous.contains(form) || numerals_only(form)
    }

    /// Every surface form with its meanings, for the segmenter's user dictionary.
    pub fn forms(&self) -> impl Iterator<Item = (&str, &[Sense])> {
        self.patterns
            .iter()
            .zip(&self.senses)
            .map(|(p, s)| (p.as_str(), s.as_slice()))
    }

    /// Stocks whose 4-character current name differs from `window` in exactly one character, that
    /// character being a homophone, when exactly one stock does: its index.
    pub fn homophone_match(&self, window: &str) -> Option<u32> {
        let chars = four_chars(window)?;
        let mut found: Option<u32> = None;
        for (slot, blanked) in homophone_slots(chars) {
            let Some(list) = self.homophones.get(&slot) else {
                continue; // no name like this one but at that character: no pinyin needed
            };
            let pinyin = pinyin_hash(blanked);
            for &(_, idx) in list.iter().filter(|(p, _)| *p == pinyin) {
                if self.stocks[idx as usize].name == window {
                    return None;
                }
                match found {
                    Some(f) if f != idx => return None,
                    _ => found = Some(idx),
                }
            }
        }
        found
    }

    /// True when more than one code bore `form` (a name that changed hands).
    pub fn is_contested(&self, form: &str) -> bool {
        self.history.is_contested(form)
    }

    /// The stock that bore a contested `form` on `day`, and a warning when the data could not
    /// decide; `None` when the form is not contested or its bearer is not in `stocks.tsv`.
    /// `today` is the stock the form names today, preferred in a tie.
    pub fn bearer_on(&self, form: &str, day: Day, today: u32) -> Option<(u32, Option<String>)> {
        let today_code = self.stock(today).code.as_str();
        let (bearing, warning) = match self.history.bearer(form, day, &[today_code])? {
            Resolution::Decided(b) => (b, None),
            Resolution::Nearest(b, why) => (b, Some(why)),
        };
        let (idx, _) = self.stock_by_code(&bearing.code)?;
        Some((idx, warning))
    }

    /// When a user's query is a name that more than one company bore (after [`NormText`]): the
    /// days each code bore it, as recognition reads it on an article's date, and today's bearer
    /// (what it means in an undated article). `None` for any other query.
    pub fn name_runs(&self, query: &str) -> Option<(Vec<Run>, String)> {
        let norm = NormText::new(query.trim()).text;
        let today = self.today_bearer(&norm)?;
        let runs = self.history.runs(&norm, &[today.as_str()])?;
        Some((runs, today))
    }

    /// The code a stock form names today: the one recognition takes without a date (current
    /// names before ST forms before former names, listed before delisted).
    fn today_bearer(&self, form: &str) -> Option<String> {
        self.senses_of(form)
            .iter()
            .filter(|s| {
                matches!(
                    s.form,
                    FormKind::Current | FormKind::StForm | FormKind::Former
                )
            })
            .min_by_key(|s| (s.form, !self.stock(s.target).listed))
            .map(|s| self.stock(s.target).code.clone())
    }

    /// True when two characters have the same toneless pinyin (or are the same character).
    pub fn same_pinyin(&self, a: char, b: char) -> bool {
        a == b || pinyin_hash(a) == pinyin_hash(b)
    }

    /// Number of surface forms in the automaton.
    pub fn form_count(&self) -> usize {
        self.patterns.len()
    }
}

fn stock_sense(form: FormKind, target: u32) -> Sense {
    Sense { form, target }
}

#[derive(Default)]
struct Builder {
    stocks: Vec<Stock>,
    by_code: FxHashMap<String, u32>,
    concepts: Vec<Concept>,
    concept_ids: FxHashMap<String, u32>,
    organizations: Vec<Organization>,
    alias_targets: Vec<Vec<u32>>,
    forms: FxHashMap<String, Vec<Sense>>,
    order: Vec<String>,
    ambiguous: FxHashSet<String>,
}

impl Builder {
    fn add_form(&mut self, form: &str, sense: Sense) {
        let form = form.trim();
        if form.chars().count() < 2 {
            return;
        }
        let entry = self.forms.entry(form.to_string()).or_insert_with(|| {
            self.order.push(form.to_string());
            Vec::new()
        });
        if !entry.contains(&sense) {
            entry.push(sense);
        }
    }

    /// Rows of a stocks file. In a user dictionary (`layered`) a code already known takes the
    /// row's name (the old one becomes a former name), exchange and status, and gains its forms.
    fn stocks(&mut self, text: &str, file: &str, layered: bool) -> Result<()> {
        for (line, row) in rows(text) {
            let code = row[0].trim();
            let valid_code = code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit());
            if row.len() < 3 || !valid_code || row[2].trim().is_empty() {
                return Err(bad_row(file, line, &row));
            }
            let field = |i: usize| row.get(i).map_or("", |s| s.trim());
            let idx = match self.by_code.get(code) {
                Some(&idx) if layered => {
                    self.update_stock(idx, &row);
                    idx
                }
                _ => {
                    let idx = self.stocks.len() as u32;
                    self.stocks.push(Stock {
                        code: code.to_string(),
                        exchange: field(1).to_string(),
                        name: field(2).to_string(),
                        full_name: field(4).to_string(),
                        industry: field(5).to_string(),
                        listed: row.get(6).copied().unwrap_or("L") != "D",
                    });
                    self.by_code.insert(code.to_string(), idx);
                    let name = self.stocks[idx as usize].name.clone();
                    self.add_form(&name, stock_sense(FormKind::Current, idx));
                    idx
                }
            };
            for form in split_list(row.get(3)) {
                let kind = if form.contains("ST") {
                    FormKind::StForm
                } else {
                    FormKind::Former
                };
                self.add_form(form, stock_sense(kind, idx));
            }
            let full_name = self.stocks[idx as usize].full_name.clone();
            if full_name.chars().count() >= 6 {
                self.add_form(&full_name, stock_sense(FormKind::FullName, idx));
            }
        }
        Ok(())
    }

    /// A user dictionary's row for a known code: its name becomes current (the old one a former
    /// name); a non-empty exchange, full name, industry or status replaces the old one.
    fn update_stock(&mut self, idx: u32, row: &[&str]) {
        let field = |i: usize| row.get(i).map_or("", |s| s.trim());
        let name = field(2).to_string();
        let stock = &mut self.stocks[idx as usize];
        for (slot, value) in [
            (&mut stock.exchange, field(1)),
            (&mut stock.full_name, field(4)),
            (&mut stock.industry, field(5)),
        ] {
            if !value.is_empty() {
                *slot = value.to_string();
            }
        }
        if !field(6).is_empty() {
            stock.listed = field(6) != "D";
        }
        if stock.name == name {
            return;
        }
        let old = std::mem::replace(&mut stock.name, name.clone());
        if let Some(senses) = self.forms.get_mut(&old) {
            for sense in senses.iter_mut() {
                if sense.form == FormKind::Current && sense.target == idx {
                    sense.form = FormKind::Former;
                }
            }
        }
        // the new name may be one of its former names already
        if let Some(senses) = self.forms.get_mut(&name) {
            senses.retain(|s| !(s.target == idx && s.form == FormKind::Former));
        }
        self.add_form(&name, stock_sense(FormKind::Current, idx));
    }

    fn concepts(&mut self, text: &str, file: &str) -> Result<()> {
        for (line, row) in rows(text) {
            let name = row.first().map(|s| s.trim()).unwrap_or("");
            if name.is_empty() {
                return Err(bad_row(file, line, &row));
            }
            let idx = match self.concept_ids.get(name) {
                Some(&i) => i,
                None => {
                    let i = self.concepts.len() as u32;
                    let constituents = split_list(row.get(4))
                        .filter_map(|c| self.by_code.get(c).copied())
                        .collect();
                    self.concepts.push(Concept {
                        name: name.to_string(),
                        constituents,
                    });
                    self.concept_ids.insert(name.to_string(), i);
                    i
                }
            };
            let sense = Sense {
                form: FormKind::Concept,
                target: idx,
            };
            self.add_form(name, sense.clone());
            for alias in split_list(row.get(1)) {
                self.add_form(alias, sense.clone());
            }
        }
        Ok(())
    }

    fn aliases(&mut self, text: &str, file: &str) -> Result<()> {
        for (line, row) in rows(text) {
            let alias = row.first().map(|s| s.trim()).unwrap_or("");
            let codes: Option<Vec<u32>> = split_list(row.get(1))
                .map(|c| self.by_code.get(c).copied())
                .collect();
            match codes {
                Some(codes) if !alias.is_empty() && !codes.is_empty() => {
                    let target = self.alias_targets.len() as u32;
                    self.alias_targets.push(codes);
                    self.add_form(
                        alias,
                        Sense {
                            form: FormKind::Alias,
                            target,
                        },
                    );
                }
                _ => return Err(bad_row(file, line, &row)),
            }
        }
        Ok(())
    }

    fn organizations(&mut self, text: &str, file: &str) -> Result<()> {
        for (line, row) in rows(text) {
            let name = row.first().map(|s| s.trim()).unwrap_or("");
            if name.is_empty() {
                return Err(bad_row(file, line, &row));
            }
            let idx = self.organizations.len() as u32;
            self.organizations.push(Organization {
                name: name.to_string(),
                kind: row.get(2).copied().unwrap_or("other").to_string(),
            });
            let sense = Sense {
                form: FormKind::Organization,
                target: idx,
            };
            self.add_form(name, sense.clone());
            for alias in split_list(row.get(1)) {
                self.add_form(alias, sense.clone());
            }
        }
        Ok(())
    }

    /// Names of an ambiguous-names file; in a user dictionary (`strict`) a row without a name
    /// is an error.
    fn ambiguous(&mut self, text: &str, file: &str, strict: bool) -> Result<()> {
        for (line, row) in rows(text) {
            match row.first().map(|s| s.trim()) {
                Some(name) if !name.is_empty() => {
                    self.ambiguous.insert(name.to_string());
                }
                _ if strict => return Err(bad_row(file, line, &row)),
                _ => {}
            }
        }
        Ok(())
    }

    fn finish(mut self, finance_words: Vec<String>, history: NameHistory) -> Result<Lexicon> {
        let mut homophones: FxHashMap<HomophoneSlot, Vec<(u64, u32)>> = Default::default();
        for (i, s) in self.stocks.iter().enumerate() {
            let Some(chars) = four_chars(&s.name).filter(|c| c.iter().all(|&c| is_han(c))) else {
                continue;
            };
            for (slot, blanked) in homophone_slots(chars) {
                let entry = (pinyin_hash(blanked), i as u32);
                homophones.entry(slot).or_default().push(entry);
            }
        }
        let patterns = std::mem::take(&mut self.order);
        let senses: Vec<Vec<Sense>> = patterns
            .iter()
            .map(|p| {
                let mut s = self.forms.remove(p).unwrap_or_default();
                s.sort_by_key(|x| x.form);
                s
            })
            .collect();
        let pattern_ids = patterns
            .iter()
            .enumerate()
            .map(|(i, p)| (p.clone(), i as u32))
            .collect();
        let (company_ids, automaton_ids): (Vec<PatternID>, Vec<PatternID>) = (0..patterns.len())
            .map(PatternID::must)
            .partition(|&id| patterns[id].ends_with(COMPANY_END));
        // Forms that lowercase alike (HBM, hbm) are one pattern, the first of them: the one a
        // leftmost-longest automaton holding both would report.
        let mut lowered = FxHashSet::default();
        let forms: Vec<(String, u32)> = automaton_ids
            .iter()
            .map(|&id| (patterns[id].to_ascii_lowercase(), id.as_u32()))
            .filter(|(form, _)| !form.is_empty() && lowered.insert(form.clone()))
            .collect();
        let automaton = if forms.is_empty() {
            None
        } else {
            let built = CharwiseDoubleArrayAhoCorasickBuilder::new()
                .match_kind(DoubleArrayMatchKind::LeftmostLongest)
                .build_with_values(forms)
                .map_err(|e| Error::Dictionary {
                    file: "dict/".into(),
                    line: 0,
                    row: e.to_string(),
                })?;
            Some(built)
        };
        let companies = Companies::new(&patterns, company_ids);
        Ok(Lexicon {
            stocks: self.stocks,
            concepts: self.concepts,
            organizations: self.organizations,
            alias_targets: self.alias_targets,
            finance_words,
            by_code: self.by_code,
            patterns,
            senses,
            pattern_ids,
            ambiguous: self.ambiguous,
            automaton,
            companies,
            homophones,
            history,
            fingerprint: String::new(),
        })
    }
}

/// How company names end.
const COMPANY_END: &str = "公司";

/// Company names, found from each 公司 of a text: every name that ends there is one of the
/// strings that end there and are no longer than the longest name.
struct Companies {
    /// Name (ASCII lowercased) → its pattern ids.
    names: FxHashMap<String, Vec<PatternID>>,
    /// Bytes of the shortest and the longest name.
    shortest: usize,
    longest: usize,
}

impl Companies {
    fn new(patterns: &[String], ids: Vec<PatternID>) -> Companies {
        let mut names: FxHashMap<String, Vec<PatternID>> = Default::default();
        for id in ids {
            names
                .entry(patterns[id].to_ascii_lowercase())
                .or_default()
                .push(id);
        }
        let lengths = names.keys().map(String::len);
        Companies {
            shortest: lengths.clone().min().unwrap_or(0),
            longest: lengths.max().unwrap_or(0),
            names,
        }
    }

    /// Every occurrence of a name in `hay` (lowercased), by start, longest first, then by
    /// pattern id: the order in which the leftmost-longest rule prefers them.
    fn find_all(&self, hay: &str) -> Vec<Match> {
        let mut found = Vec::new();
        for at in memchr::memmem::find_iter(hay.as_bytes(), COMPANY_END) {
            let end = at + COMPANY_END.len();
            let from = hay.ceil_char_boundary(end.saturating_sub(self.longest));
            for (i, _) in hay[from..end].char_indices() {
                let start = from + i;
                if end - start < self.shortest {
                    break;
                }
                if let Some(ids) = self.names.get(&hay[start..end]) {
                    found.extend(ids.iter().map(|&id| Match::new(id, start..end)));
                }
            }
        }
        found.sort_unstable_by_key(|m| (m.start(), Reverse(m.end()), m.pattern()));
        found
    }
}

/// The exchange a six-digit A-share code is listed on, by its first digits: `SH` (6…, 9…
/// but 92…), `BJ` (4…, 8…, 92…), else `SZ` (0…, 2…, 3…).
pub fn exchange_of(code: &str) -> &'static str {
    match code.as_bytes() {
        [b'9', b'2', ..] | [b'4' | b'8', ..] => "BJ",
        [b'6' | b'9', ..] => "SH",
        _ => "SZ",
    }
}

/// A code with its exchange, as data tools key stocks: `603629.SH`, `000001.SZ`, `830799.BJ`.
/// `exchange` is the dictionary's, else the one the code says.
pub fn symbol(code: &str, exchange: &str) -> String {
    let exchange = match exchange {
        "SH" | "SZ" | "BJ" => exchange,
        _ => exchange_of(code),
    };
    format!("{code}.{exchange}")
}

/// A six-digit stock code written as a query (`603629`, `sh603629`, `603629.SH`).
pub fn code_in_query(text: &str) -> Option<&str> {
    let lower = text.to_ascii_lowercase();
    let start = if ["sh", "sz", "bj"].iter().any(|p| lower.starts_with(p)) {
        2
    } else {
        0
    };
    let end = start + 6;
    let code = text.get(start..end)?;
    let rest = lower.get(end..)?;
    let suffix_ok = rest.is_empty() || [".sh", ".sz", ".bj", ".ss"].contains(&rest);
    (code.bytes().all(|b| b.is_ascii_digit()) && suffix_ok).then_some(code)
}

/// True when a name is written in Chinese numerals only (二三四五): read as a stock only with
/// stock context, since it also counts.
pub fn numerals_only(form: &str) -> bool {
    !form.is_empty() && form.chars().all(|c| "一二三四五六七八九十零两".contains(c))
}

/// True for CJK unified ideographs.
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_recognised_with_exchange_marks() {
        let cases = [
            ("603629", Some("603629")),
            ("sh603629", Some("603629")),
            ("603629.SH", Some("603629")),
            ("60362", None),
            ("6036291", None),
            ("利通电子", None),
        ];
        for (text, want) in cases {
            assert_eq!(code_in_query(text), want, "{text:?}");
        }
    }

    use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

    #[test]
    fn builtin_loads_with_former_and_st_forms() {
        let lex = Lexicon::builtin().unwrap();
        let (_, s) = lex.stock_by_code("603629").unwrap();
        assert_eq!(s.name, "利通电子");
        let senses = lex.senses_of("博信股份");
        assert!(senses.iter().any(|s| lex.stock(s.target).code == "600083"));
        assert!(!lex.senses_of("*ST博信").is_empty());
    }

    #[test]
    fn homophone_typo_resolves_uniquely() {
        let lex = Lexicon::builtin().unwrap();
        let idx = lex.homophone_match("润健股份").unwrap();
        assert_eq!(lex.stock(idx).code, "002929");
        let idx = lex.homophone_match("中广天泽").unwrap();
        assert_eq!(lex.stock(idx).code, "603721");
        assert_eq!(lex.homophone_match("润建股份"), None);
    }

    #[test]
    fn forms_match_whatever_the_case_of_their_letters() {
        let lex = Lexicon::builtin().unwrap();
        let text = "周五*st博信、*ST博信和Hbm、hbm、HBM都有资金";
        let found: Vec<(&str, &str)> = lex
            .find_forms(text)
            .iter()
            .map(|m| {
                (
                    &text[m.start()..m.end()],
                    lex.pattern(m.pattern().as_usize()),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("*st博信", "*ST博信"),
                ("*ST博信", "*ST博信"),
                ("Hbm", "HBM"),
                ("hbm", "HBM"),
                ("HBM", "HBM"),
            ]
        );
        // a text without capitals is searched as it is, with the same result
        assert_eq!(lex.find_forms("hbm").len(), 1);
    }

    /// One leftmost-longest, case-insensitive automaton over every form: what
    /// [`Lexicon::find_forms`] must agree with.
    fn reference(lex: &Lexicon) -> AhoCorasick {
        AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&lex.patterns)
            .unwrap()
    }

    fn spans(matches: impl IntoIterator<Item = Match>) -> Vec<(usize, usize, usize)> {
        let span = |m: Match| (m.start(), m.end(), m.pattern().as_usize());
        matches.into_iter().map(span).collect()
    }

    static LEXICON: std::sync::LazyLock<(Lexicon, AhoCorasick)> = std::sync::LazyLock::new(|| {
        let lex = Lexicon::builtin().unwrap();
        let reference = reference(&lex);
        (lex, reference)
    });

    #[test]
    fn company_names_merge_with_the_other_forms_as_one_automaton_would() {
        let (lex, reference) = &*LEXICON;
        for text in [
            "江苏利通电子股份有限公司公告",
            "利通电子股份有限公司与江苏利通电子股份有限公司",
            "平安银行股份有限公司、中国平安保险（集团）股份有限公司",
            "公司",
            "ST利通电子股份有限公司公司",
            "",
        ] {
            assert_eq!(
                spans(lex.find_forms(text)),
                spans(reference.find_iter(text)),
                "{text}"
            );
        }
    }

    proptest::proptest! {
        /// Texts made of forms (any case), pieces of forms, 公司 and filler, so that forms overlap,
        /// nest and share their ends in every way.
        #[test]
        fn forms_are_found_as_one_case_insensitive_automaton_finds_them(
            pieces in proptest::collection::vec((0usize..29_000, 0u8..6, proptest::bool::ANY), 1..12)
        ) {
            let (lex, reference) = &*LEXICON;
            let mut text = String::new();
            for (i, how, upper) in pieces {
                let form = &lex.patterns[i % lex.patterns.len()];
                let chars: Vec<char> = form.chars().collect();
                match how {
                    0 | 1 => text.push_str(form),
                    2 => text.extend(&chars[chars.len() / 2..]),
                    3 => text.extend(&chars[..chars.len().div_ceil(2)]),
                    4 => text.push_str("公司"),
                    _ => text.push('的'),
                }
                if upper {
                    text = text.to_ascii_uppercase();
                } else if i % 3 == 0 {
                    text = text.to_ascii_lowercase();
                }
            }
            proptest::prop_assert_eq!(spans(lex.find_forms(&text)), spans(reference.find_iter(&text)));
        }
    }
}
