//! Every word of the rules file, and the literals that the patterns cannot match without,
//! in one trie of characters, searched from each character of a text.
//!
//! The search finds every occurrence of every entry, overlapping, ASCII letters matched
//! case-insensitively: what an Aho-Corasick search with `MatchKind::Standard` reports. Words
//! are short, so walking the trie from each start is a step or two per character, and the
//! trie (a few hundred kilobytes) stays in the cache where a byte DFA of a few thousand
//! Chinese words would take megabytes.

use std::collections::HashMap;
use std::sync::Arc;

const NONE: u32 = u32::MAX;
/// The check of the root cell (any value but a cell index and `NONE`).
const ROOT: u32 = u32::MAX - 1;

/// What an entry of the trie stands for.
#[derive(Debug, Clone, Copy)]
pub(super) enum Entry {
    /// A word: the index into `Rules::words`.
    Word(usize),
    /// A literal of literal set `.0` (see `Rules::needs`).
    Literal(usize),
}

/// The compiled trie; cloning shares it.
#[derive(Debug, Clone)]
pub(super) struct Lexicon(Arc<Trie>);

/// A double-array trie: the child of the node in cell `n` by character class `c` is cell
/// `cells[n].base + c` when that cell's `check` is `n`; the root is cell 0.
#[derive(Debug)]
struct Trie {
    /// Class of each ASCII character (letters by their lower case); 0: in no entry.
    ascii: [u32; 128],
    /// Characters below U+10000 in pages of 256: `pages[c >> 8]` is the page, page 0 is
    /// all zeros.
    pages: [u32; 256],
    page_data: Vec<u32>,
    /// Characters above U+FFFF.
    astral: HashMap<char, u32>,
    /// Classes 1 to `starts` begin an entry: their cell is the root's child.
    starts: u32,
    cells: Vec<Cell>,
    /// The literal sets found with a cell: `lit_ids[lits[cell.lits]]`.
    lits: Vec<(u32, u32)>,
    lit_ids: Vec<u32>,
}

#[derive(Debug, Clone, Copy)]
struct Cell {
    /// The parent cell (`NONE`: a free cell).
    check: u32,
    /// Where the children are (`NONE`: no children).
    base: u32,
    /// The word ending here (`NONE`: none).
    word: u32,
    /// Index into `Trie::lits` (`NONE`: no literal ends here).
    lits: u32,
}

const FREE: Cell = Cell {
    check: NONE,
    base: NONE,
    word: NONE,
    lits: NONE,
};

impl Lexicon {
    /// Builds the trie. Strings equal but for ASCII case share one node; a string given
    /// twice as a word keeps the first word index.
    pub(super) fn build(entries: &[(&str, Entry)]) -> Lexicon {
        // a class for each character: first those that begin an entry, 1 to `starts`
        let mut chars: Vec<(bool, char)> = (entries.iter())
            .flat_map(|(text, _)| text.chars().map(fold).enumerate())
            .map(|(i, c)| (i > 0, c))
            .collect();
        // (a character that begins any entry counts as beginning one)
        chars.sort_unstable_by_key(|&(inner, c)| (c, inner));
        chars.dedup_by_key(|&mut (_, c)| c);
        chars.sort_unstable();
        let starts = chars.iter().filter(|&&(inner, _)| !inner).count() as u32;
        let classes: HashMap<char, u32> = (chars.iter().enumerate())
            .map(|(i, &(_, c))| (c, i as u32 + 1))
            .collect();

        // then a plain trie: children by class, and what ends in each node
        let mut children: Vec<Vec<(u32, u32)>> = vec![Vec::new()];
        let mut words = vec![NONE];
        let mut lits: Vec<Vec<u32>> = vec![Vec::new()];
        for &(text, entry) in entries {
            let mut node = 0usize;
            for c in text.chars().map(fold) {
                let class = classes[&c];
                node = match children[node].iter().find(|k| k.0 == class) {
                    Some(&(_, child)) => child as usize,
                    None => {
                        let child = children.len();
                        children[node].push((class, child as u32));
                        children.push(Vec::new());
                        words.push(NONE);
                        lits.push(Vec::new());
                        child
                    }
                };
            }
            match entry {
                _ if node == 0 => {}
                Entry::Word(w) if words[node] == NONE => words[node] = w as u32,
                Entry::Word(_) => {}
                Entry::Literal(l) => lits[node].push(l as u32),
            }
        }

        let mut trie = Trie {
            ascii: [0; 128],
            pages: [0; 256],
            page_data: vec![0; 256],
            astral: HashMap::new(),
            starts,
            cells: vec![FREE; starts as usize + 1],
            lits: Vec::new(),
            lit_ids: Vec::new(),
        };
        for (&c, &class) in &classes {
            trie.set_class(c, class);
        }
        // then each node's children placed where all their cells are free; the root's
        // children by class 1 to `starts` are cells 1 to `starts`
        let mut cell_of = vec![0u32; children.len()];
        trie.cells[0].check = ROOT;
        let mut queue = std::collections::VecDeque::from([0usize]);
        let mut first_free = 1usize;
        while let Some(node) = queue.pop_front() {
            let at = cell_of[node] as usize;
            trie.cells[at].word = words[node];
            if !lits[node].is_empty() {
                let from = trie.lit_ids.len() as u32;
                trie.lit_ids.extend_from_slice(&lits[node]);
                trie.cells[at].lits = trie.lits.len() as u32;
                trie.lits.push((from, trie.lit_ids.len() as u32));
            }
            let kids = &mut children[node];
            if kids.is_empty() {
                continue;
            }
            kids.sort_unstable();
            let base = if node == 0 {
                0
            } else {
                trie.free_base(kids, &mut first_free)
            };
            trie.cells[at].base = base as u32;
            for &(class, child) in kids.iter() {
                let cell = base + class as usize;
                trie.cells[cell].check = at as u32;
                cell_of[child as usize] = cell as u32;
                queue.push_back(child as usize);
            }
        }
        Lexicon(Arc::new(trie))
    }

    /// Every occurrence in `text`: words into `hits` as (start, end, word) sorted by start,
    /// the longest first per start; the literal set of each literal into `sets`. `chars`
    /// is work space.
    pub(super) fn search(
        &self,
        text: &str,
        chars: &mut Vec<(u32, usize)>,
        hits: &mut Vec<(usize, usize, usize)>,
        sets: &mut Vec<u32>,
    ) {
        let t = &*self.0;
        // the class of each character and where it starts, decoded once
        chars.clear();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let (code, len) = decode(bytes, i);
            chars.push((t.class(code), i));
            i += len;
        }
        chars.push((0, text.len()));
        for i in 0..chars.len() - 1 {
            let (class, start) = chars[i];
            // the root's child, if the character begins an entry
            if class == 0 || class > t.starts {
                continue;
            }
            let mut at = class as usize;
            let from = hits.len();
            for &(class, end) in &chars[i + 1..] {
                let cell = t.cells[at];
                if cell.word != NONE {
                    hits.push((start, end, cell.word as usize));
                }
                if cell.lits != NONE {
                    let (from, to) = t.lits[cell.lits as usize];
                    sets.extend_from_slice(&t.lit_ids[from as usize..to as usize]);
                }
                if cell.base == NONE {
                    break;
                }
                // (the end of the text has class 0, the child of no cell)
                let next = cell.base as usize + class as usize;
                match t.cells.get(next) {
                    Some(child) if child.check == at as u32 => at = next,
                    _ => break,
                }
            }
            hits[from..].reverse();
        }
    }
}

impl Trie {
    fn set_class(&mut self, c: char, class: u32) {
        let code = c as u32;
        if code < 128 {
            self.ascii[code as usize] = class;
            if c.is_ascii_lowercase() {
                self.ascii[c.to_ascii_uppercase() as usize] = class;
            }
        } else if code <= 0xFFFF {
            let high = (code >> 8) as usize;
            if self.pages[high] == 0 {
                self.pages[high] = (self.page_data.len() / 256) as u32;
                self.page_data.resize(self.page_data.len() + 256, 0);
            }
            let page = self.pages[high] as usize;
            self.page_data[page * 256 + (code & 0xFF) as usize] = class;
        } else {
            self.astral.insert(c, class);
        }
    }

    /// The class of the character with this code point.
    #[inline]
    fn class(&self, code: u32) -> u32 {
        if code < 128 {
            self.ascii[code as usize]
        } else if code <= 0xFFFF {
            let page = self.pages[(code >> 8) as usize] as usize;
            self.page_data[page * 256 + (code & 0xFF) as usize]
        } else {
            let c = char::from_u32(code).unwrap_or_default();
            self.astral.get(&c).copied().unwrap_or(0)
        }
    }

    /// The lowest base at which every child (sorted by class) finds a free cell; the cells
    /// grow as needed. `first_free` only moves forward past cells taken.
    fn free_base(&mut self, kids: &[(u32, u32)], first_free: &mut usize) -> usize {
        while self.cells.get(*first_free).is_some_and(|c| c.check != NONE) {
            *first_free += 1;
        }
        let lowest = kids[0].0 as usize;
        let mut cell = (*first_free).max(lowest + 1);
        loop {
            let base = cell - lowest;
            let fits = kids.iter().all(|&(class, _)| {
                self.cells
                    .get(base + class as usize)
                    .is_none_or(|c| c.check == NONE)
            });
            if fits {
                let last = base + kids[kids.len() - 1].0 as usize;
                if last >= self.cells.len() {
                    self.cells.resize(last + 1, FREE);
                }
                return base;
            }
            cell += 1;
        }
    }
}

/// The code point and length of the character at `i` of UTF-8 `bytes` (quicker than
/// `char_indices`, which checks what a `str` already guarantees).
fn decode(bytes: &[u8], i: usize) -> (u32, usize) {
    let tail = |at: usize| u32::from(bytes[i + at] & 0x3F);
    let lead = u32::from(bytes[i]);
    match bytes[i] {
        0..0x80 => (lead, 1),
        0x80..0xE0 => (((lead & 0x1F) << 6) | tail(1), 2),
        0xE0..0xF0 => (((lead & 0x0F) << 12) | (tail(1) << 6) | tail(2), 3),
        _ => (
            ((lead & 0x07) << 18) | (tail(1) << 12) | (tail(2) << 6) | tail(3),
            4,
        ),
    }
}

/// ASCII letters by their lower case, as the search compares them.
fn fold(c: char) -> char {
    c.to_ascii_lowercase()
}

#[cfg(test)]
mod tests;
