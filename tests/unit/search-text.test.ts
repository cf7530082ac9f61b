import { describe, expect, it } from "vitest";
import { analyzeForIndex, analyzeQuery, cjkBigrams, normalizeQueryText, renderTsQuery, tsLexeme, vocabularyWords, type TsExpr } from "../../search/text";

describe("analyzeForIndex", () => {
  it("lower-cases and folds width (NFKC)", () => {
    expect(analyzeForIndex("ＡＰＩ Keys")).toBe("api keys");
  });

  it("indexes code identifiers by their parts, then whole, so parts stay adjacent", () => {
    expect(analyzeForIndex("Call file.isNull() now")).toBe("call file is null now fileisnull isnull");
    expect(analyzeForIndex("getUserById")).toBe("get user by id getuserbyid");
    expect(analyzeForIndex("max_retry_count")).toBe("max retry count maxretrycount");
    expect(analyzeForIndex("XMLHttpRequest")).toBe("xml http request xmlhttprequest");
  });

  it("turns CJK runs into overlapping bigrams, a single character into a unigram", () => {
    expect(analyzeForIndex("カスタマーサクセス")).toBe("カス スタ タマ マー ーサ サク クセ セス");
    expect(analyzeForIndex("SSOの設定")).toBe("sso の設 設定");
    expect(analyzeForIndex("を")).toBe("を");
  });

  it("indexes half-width katakana like its full-width form", () => {
    expect(analyzeForIndex("ｶｽﾀﾏｰｻｸｾｽ")).toBe(analyzeForIndex("カスタマーサクセス"));
  });

  it("drops terms too long to be words and everything that is not a letter or digit", () => {
    expect(analyzeForIndex(`a${"x".repeat(60)} ok <b>&amp;</b> 😀`)).toBe("ok b amp b");
  });

  it("keeps only Latin words of 3 to 32 characters in the vocabulary", () => {
    expect(vocabularyWords(analyzeForIndex("an API for カスタマー and getUserById 1234"))).toEqual(
      expect.arrayContaining(["api", "for", "and", "get", "user", "getuserbyid"]),
    );
    expect(vocabularyWords(analyzeForIndex("an カスタマー 1234"))).toEqual([]);
  });
});

describe("analyzeQuery", () => {
  it("drops Japanese particles and auxiliaries and keeps each word as a bigram phrase", () => {
    const terms = analyzeQuery("パスワードをリセットする方法");
    expect(terms.map((t) => t.text)).toEqual(["パスワード", "リセット", "方法"]);
    expect(terms[0]).toMatchObject({ kind: "cjk", grams: ["パス", "スワ", "ワー", "ード"] });
  });

  it("keeps a katakana loanword whole though the segmenter splits it", () => {
    expect(analyzeQuery("カスタマーサクセス").map((t) => t.text)).toEqual(["カスタマーサクセス"]);
    expect(analyzeQuery("ｶｽﾀﾏｰｻｸｾｽ").map((t) => t.text)).toEqual(["カスタマーサクセス"]);
  });

  it("attaches a one-character word to its neighbour rather than leaving a bare prefix", () => {
    expect(analyzeQuery("請求書のダウンロード").map((t) => t.text)).toEqual(["請求書", "ダウンロード"]);
  });

  it("gives identifiers their joined form and their parts", () => {
    expect(analyzeQuery("file.isNull()")).toEqual([{ kind: "word", text: "fileisnull", parts: ["file", "is", "null"], isLast: false }]);
  });

  it("marks the last word unfinished only when the query does not end in a space or punctuation", () => {
    expect(analyzeQuery("reset pass").at(-1)!.isLast).toBe(true);
    expect(analyzeQuery("reset pass ").at(-1)!.isLast).toBe(false);
    expect(analyzeQuery("reset pass?").at(-1)!.isLast).toBe(false);
    expect(analyzeQuery("reset pass")[0]!.isLast).toBe(false);
  });

  it("returns nothing for punctuation, emoji and control characters", () => {
    expect(analyzeQuery("'\" \\ : * & | ! ( ) <-> 😀 \u0000")).toEqual([]);
    expect(analyzeQuery("")).toEqual([]);
  });

  it("bounds a pasted essay to a few words", () => {
    expect(analyzeQuery("word ".repeat(5_000)).length).toBeLessThanOrEqual(16);
  });
});

describe("tsquery rendering", () => {
  // Only quoted lexemes, operators, parentheses and :* / weights: what to_tsquery accepts.
  const TSQUERY_SHAPE = /^(?:'(?:[^']|'')+'(?::\*?[A-D]*)?|[()&|!]|<->|\s)+$/u;

  function queryOf(q: string): string | null {
    const groups: TsExpr[] = analyzeQuery(q).map((term) =>
      term.kind === "cjk"
        ? { op: "phrase", items: term.grams.map((lexeme) => ({ lexeme, prefix: false })) }
        : { op: "or", items: [{ op: "term", lexeme: term.text, prefix: term.isLast }, { op: "phrase", items: term.parts.map((lexeme) => ({ lexeme, prefix: false })) }] },
    );
    return renderTsQuery({ op: "and", items: groups });
  }

  it("quotes every lexeme and refuses anything but letters and digits", () => {
    expect(tsLexeme("abc")).toBe("'abc'");
    expect(tsLexeme("a'b")).toBeNull();
    expect(tsLexeme("a b")).toBeNull();
    expect(tsLexeme("")).toBeNull();
    expect(tsLexeme("x".repeat(49))).toBeNull();
  });

  it("renders phrases, prefixes, weights and drops invalid parts", () => {
    expect(
      renderTsQuery({
        op: "and",
        items: [
          { op: "phrase", items: [{ lexeme: "カス", prefix: false }, { lexeme: "スタ", prefix: false }] },
          { op: "term", lexeme: "conf", prefix: true },
          { op: "term", lexeme: "x'); drop", prefix: false },
        ],
      }),
    ).toBe("(('カス' <-> 'スタ') & 'conf':*)");
    expect(renderTsQuery({ op: "term", lexeme: "sso", prefix: false }, "A")).toBe("'sso':A");
    expect(renderTsQuery({ op: "or", items: [] })).toBeNull();
  });

  it("produces a well-formed tsquery (or none) for hostile input", () => {
    const nasty = ["'", '"', "\\", ":", "*", "&", "|", "!", "(", ")", "<->", "a:*", "foo & | bar", "' or 1=1 --", "a'b c\\d", "ｶｽﾀﾏｰ' & !", "x".repeat(10_000), "😀", "\u0000nul", "don't stop", "C++ & C#"];
    for (const q of nasty) {
      const rendered = queryOf(q);
      if (rendered !== null) expect(rendered, q).toMatch(TSQUERY_SHAPE);
    }
    expect(queryOf("don't")).toBe("('dont':* | ('don' <-> 't'))");
  });
});

describe("helpers", () => {
  it("bigrams work on code points, not UTF-16 units", () => {
    expect(cjkBigrams("𠮷野家")).toEqual(["𠮷野", "野家"]);
  });

  it("normalizes queries for analytics", () => {
    expect(normalizeQueryText("  ＳＳＯ   Setup ")).toBe("sso setup");
  });
});
