/*
 * almanach: the search page shows where each hit is and the text around it.
 *
 * Loaded on the search page only, after Sphinx's searchtools.js, whose
 * search (the index, the French stemmer behind the accent folding of
 * almanach/html/search.py) it keeps. It replaces two things:
 *
 * - the ranking (Scorer.score): the letters first (the newest first at equal
 *   score), then the site's pages, the editors' pages last;
 * - the display of the results (Search.query): one result per page; its link
 *   says where the hit is (« Lettre n° 2 — décembre 2021 › En pratique… ») and
 *   leads there; its excerpt is the sentence of the article's body around the
 *   first words of the query, those words marked. Sphinx's own excerpt is
 *   taken from the whole [role=main], whose first text is the page header's
 *   buttons (« PDF Paramètres système Clair Sombre »), and only where the
 *   query's stem occurs as typed: never for « sobriete » in « sobriété ».
 *
 * What the pages say (letters are untrusted) is only ever read as text and
 * written as text nodes, never as markup.
 */
"use strict";

const AlmanachSearch = (() => {
  /** The build's data (letters, their rubriques, the editors' pages). */
  let data = null;
  const siteData = () => {
    if (data === null) {
      const element = document.getElementById("almanach-search-data");
      try {
        data = JSON.parse(element ? element.textContent : "{}");
      } catch (error) {
        data = {};
      }
      data.letters = data.letters || {};
      data.last = data.last || [];
    }
    return data;
  };

  const isLast = (docName) => siteData().last.some((prefix) => docName.startsWith(prefix));

  /** The rank of a page's kind: letters, then pages, then editors' pages. */
  const tier = (docName) => {
    const letter = siteData().letters[docName];
    if (letter) return 2000 + (letter.order || 0);
    return isLast(docName) ? 0 : 1000;
  };

  /** A word without its accents, lower-cased: as the index folds it. */
  const fold = (word) => word.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

  const WORD = /[\p{L}\p{M}\p{N}_]+/gu;

  /** The query's terms that ``word`` of a page matches (``terms``: the
   * query's stems): the same stem as the word's, or, when ``partial``, a stem
   * found in the word (as Sphinx's partial match finds pages). */
  const matcher = (terms, partial) => {
    const stemmer = new Stemmer();
    const stems = new Map();
    const wanted = [...terms].filter((term) => term.length > 0);
    return (word) => {
      let stem = stems.get(word);
      if (stem === undefined) {
        stem = stemmer.stemWord(word.toLowerCase());
        stems.set(word, stem);
      }
      const folded = partial ? fold(word) : "";
      return wanted.filter(
        (term) => stem === term || (partial && term.length > 2 && folded.includes(term)),
      );
    };
  };

  /** The matched words of ``text``: [start, end, terms] triples. */
  const matches = (text, match) => {
    const found = [];
    for (const word of text.matchAll(WORD)) {
      const terms = match(word[0]);
      if (terms.length) found.push([word.index, word.index + word[0].length, terms]);
    }
    return found;
  };

  const BLOCKS = "p, li, dt, dd, th, td, h1, h2, h3, h4, h5, h6, figcaption, caption, pre";
  const HEADING = /^H[1-6]$/;
  /** A block long enough to be a sentence, not a title or a label. */
  const isProse = (block, text) => !HEADING.test(block.tagName) && text.length >= 60;
  const LEFT_OUT = ".headerlink, script, style, button, nav, .d-print-none";

  /** The page's article: its body, without the header and its buttons, the
   * sidebars, the navigation. */
  const articleOf = (page) =>
    page.querySelector("article.bd-article")
    || page.querySelector("[role=main] article")
    || page.querySelector("[role=main]");

  // (Only breaking white space is collapsed: the page's no-break spaces before
  // « : ; ! ? » and inside « » are French typography, kept.)
  const textOf = (element) => element.textContent.replace(/[ \t\n\r\f\v]+/g, " ").trim();

  /** The innermost text blocks of ``scope``, in reading order: the prose
   * first, then code (the guide's examples), then what the index leaves out
   * (``no-search``). */
  const blocksOf = (scope) => {
    const blocks = [...scope.querySelectorAll(BLOCKS)].filter(
      (block) => !block.querySelector(BLOCKS),
    );
    if (!blocks.length) blocks.push(scope);
    // (The page's title is the result's link already.)
    const rank = (block) => (block.closest(".no-search") ? 2 : block.closest("pre") ? 1 : 0);
    return [0, 1, 2].flatMap((wanted) =>
      blocks.filter((block) => block.tagName !== "H1" && rank(block) === wanted),
    );
  };

  /** The block where the query shows best: the most of its words, then a
   * sentence rather than a title or a label, then the first in the page. */
  const bestBlock = (scope, match) => {
    let best = null;
    for (const block of blocksOf(scope)) {
      const text = textOf(block);
      const found = matches(text, match);
      if (!found.length) continue;
      const count = new Set(found.flatMap(([, , terms]) => terms)).size;
      const prose = isProse(block, text);
      if (best === null || count > best.count || (count === best.count && prose && !best.prose))
        best = { block, text, found, count, prose };
    }
    return best;
  };

  /** The page's first sentences, for a page found by its title alone. */
  const leadBlock = (scope) => {
    for (const block of blocksOf(scope)) {
      const text = textOf(block);
      if (isProse(block, text) && !block.closest("pre")) return { block, text, found: [] };
    }
    return null;
  };

  const SENTENCE_END = /[.!?…](?:["»”’)]*)\s+(?=\P{Ll})/gu;
  const LENGTH = 240;

  /** The excerpt of ``text`` around its first match: the sentence that holds
   * it (and the next ones while short), at most about LENGTH characters; and
   * whether it starts in the middle of a sentence. */
  const around = (text, first, last) => {
    let start = 0;
    let end = text.length;
    for (const boundary of text.matchAll(SENTENCE_END)) {
      const after = boundary.index + boundary[0].length;
      if (after <= first) start = after;
      else if (boundary.index + 1 > first && after - start >= LENGTH / 2) {
        end = boundary.index + boundary[0].trimEnd().length;
        break;
      }
    }
    let cut = false; // (in the middle of a sentence)
    if (first - start > LENGTH / 2) {
      start = text.lastIndexOf(" ", first - LENGTH / 3) + 1;
      cut = start > 0;
    }
    if (end - start > LENGTH) {
      const space = text.lastIndexOf(" ", start + LENGTH);
      end = space >= last ? space : Math.min(text.length, Math.max(last, start + LENGTH));
    }
    return [start, end, cut];
  };

  /** The excerpt's element: its text as text nodes, the matched words in
   * <mark>. */
  const excerptElement = (text, found) => {
    const [start, end, cut] = found.length
      ? around(text, found[0][0], found[0][1])
      : around(text, 0, 0);
    const paragraph = document.createElement("p");
    paragraph.classList.add("context", "almanach-search-excerpt");
    let at = start;
    if (cut) paragraph.append("…");
    for (const [from, to] of found) {
      if (from < at || to > end) continue;
      paragraph.append(text.slice(at, from));
      const mark = document.createElement("mark");
      mark.classList.add("highlighted");
      mark.textContent = text.slice(from, to);
      paragraph.append(mark);
      at = to;
    }
    paragraph.append(text.slice(at, end));
    if (end < text.length && !/[.!?…]["»”’)]*$/u.test(text.slice(start, end)))
      paragraph.append("…");
    return paragraph;
  };

  /** The section's title, without its permalink. */
  const sectionTitle = (section) => {
    const heading = section.querySelector(":scope > h1, :scope > h2, :scope > h3, :scope > h4, :scope > h5, :scope > h6");
    return heading ? textOf(heading) : "";
  };

  /** Where ``element`` is: [anchor, title] of its rubrique (a letter) or of
   * its section below the page's title (another page); [] at the top. */
  const placeOf = (element, docName) => {
    const letter = siteData().letters[docName];
    const sections = [];
    for (let node = element; node; node = node.parentElement) {
      if (node.tagName === "SECTION" && node.id) sections.push(node);
    }
    if (letter) {
      const rubriques = letter.rubriques || {};
      const rubrique = sections.find((section) => rubriques.hasOwnProperty(section.id));
      return rubrique ? [rubrique.id, rubriques[rubrique.id]] : [];
    }
    const inner = sections.length > 1 ? sections[0] : null; // (the last is the page's)
    return inner ? [inner.id, sectionTitle(inner)] : [];
  };

  const pageUrls = (docName) => {
    const contentRoot = document.documentElement.dataset.content_root;
    if (DOCUMENTATION_OPTIONS.BUILDER === "dirhtml") {
      let folder = docName + "/";
      if (folder.match(/\/index\/$/)) folder = folder.substring(0, folder.length - 6);
      else if (folder === "index/") folder = "";
      return [contentRoot + folder, folder];
    }
    return [
      contentRoot + docName + DOCUMENTATION_OPTIONS.FILE_SUFFIX,
      docName + DOCUMENTATION_OPTIONS.LINK_SUFFIX,
    ];
  };

  /** The result's item: the link (the page, then where in it), the excerpt
   * once the page is read. */
  const display = (result, matchers) => {
    // (An object's description, « Territoires Pilotes territoire, dans Lomme »,
    // says less than where it is and its text.)
    const [docName, , anchor, , score, , kind] = result;
    const [requestUrl, linkUrl] = pageUrls(docName);
    const item = document.createElement("li");
    item.classList.add(`kind-${kind}`);
    if (siteData().letters[docName]) item.classList.add("almanach-search-letter");
    if (isLast(docName)) item.classList.add("almanach-search-editors");
    const link = item.appendChild(document.createElement("a"));
    link.href = linkUrl + anchor;
    link.dataset.score = score;
    const page = link.appendChild(document.createElement("span"));
    page.classList.add("almanach-search-page");
    const letter = siteData().letters[docName];
    page.textContent = (letter && letter.label) || pageTitle(docName, result[1]);
    Search.output.appendChild(item);
    if (!DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY) {
      item.dataset.almanachExcerpt = "done";
      return;
    }
    fetch(requestUrl)
      .then((response) => response.text())
      .then((html) => {
        const parsed = new DOMParser().parseFromString(html, "text/html");
        const article = articleOf(parsed);
        if (!article) return;
        article.querySelectorAll(LEFT_OUT).forEach((element) => element.remove());
        const anchored = anchor ? parsed.getElementById(decodeURIComponent(anchor.slice(1))) : null;
        const scope = anchored && article.contains(anchored) ? anchored : article;
        const scopes = scope === article ? [article] : [scope, article];
        let best = null;
        for (const match of matchers) {
          for (const where of scopes) {
            best = best || bestBlock(where, match);
          }
        }
        best = best || leadBlock(scope);
        const [placeAnchor, placeTitle] = placeOf(best ? best.block : scope, docName);
        if (placeTitle) {
          const where = link.appendChild(document.createElement("span"));
          where.classList.add("almanach-search-where");
          where.textContent = ` › ${placeTitle}`;
        }
        if (placeAnchor) link.href = linkUrl + "#" + placeAnchor;
        if (best) item.appendChild(excerptElement(best.text, best.found));
      })
      .catch(() => {})
      .finally(() => (item.dataset.almanachExcerpt = "done"));
  };

  /** The page's title, typeset as in the pages (a title hit is « page >
   * section »: the page's alone). */
  const pageTitle = (docName, fallback) => (siteData().titles || {})[docName] || fallback;

  /** One result per page: its best (the results come best last). */
  const bestPerPage = (results) => {
    const seen = new Set();
    const kept = [];
    for (let index = results.length - 1; index >= 0; index -= 1) {
      const docName = results[index][0];
      if (seen.has(docName)) continue;
      seen.add(docName);
      kept.push(results[index]);
    }
    return kept;
  };

  const finish = (count) => {
    Search.stopPulse();
    Search.title.innerText = _("Search Results");
    Search.status.innerText = count
      ? Documentation.ngettext(
          "Search finished, found one page matching the search query.",
          "Search finished, found ${resultCount} pages matching the search query.",
          count,
        ).replace("${resultCount}", count)
      : Documentation.gettext(
          "Your search did not match any documents. Please make sure that all words are spelled correctly and that you've selected enough categories.",
        );
  };

  const query = (queryText) => {
    const [searchQuery, searchTerms, excludedTerms, highlightTerms, objectTerms] =
      Search._parseQuery(queryText);
    const results = bestPerPage(
      Search._performSearch(searchQuery, searchTerms, excludedTerms, highlightTerms, objectTerms),
    );
    // The words of the same stem first; else those that hold a stem.
    const matchers = [matcher(searchTerms, false), matcher(searchTerms, true)];
    results.forEach((result) => display(result, matchers));
    finish(results.length);
  };

  const score = (result) => result[4] + tier(result[0]);

  return { query, score, fold };
})();

Scorer.score = AlmanachSearch.score;
Search.query = AlmanachSearch.query;
