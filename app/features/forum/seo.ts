import type { Locale } from "../../../db/schema/identity";

// Pure builders for the question page's SEO. No server-only imports: meta and components use them too.
// Canonical URLs and <script> escaping come from the kb's seo.ts (absoluteUrl, jsonForScript).

export interface QaAnswerInput {
  id: number;
  text: string;
  createdAt: string | Date;
  score: number;
  authorName: string;
}

export interface QaPageInput {
  url: string;
  title: string;
  text: string;
  locale: Locale;
  createdAt: string | Date;
  score: number;
  authorName: string;
  answerCount: number;
  accepted: QaAnswerInput | null;
  suggested: QaAnswerInput[];
}

/** The most text an answer contributes to JSON-LD: search engines show snippets, not whole answers. */
const TEXT_LIMIT = 2000;

const clip = (text: string) => (text.length > TEXT_LIMIT ? `${text.slice(0, TEXT_LIMIT - 1)}…` : text);

function answerLd(url: string, answer: QaAnswerInput) {
  return {
    "@type": "Answer",
    text: clip(answer.text),
    dateCreated: new Date(answer.createdAt).toISOString(),
    upvoteCount: answer.score,
    url: `${url}#answer-${answer.id}`,
    author: { "@type": "Person", name: answer.authorName },
  };
}

/** schema.org QAPage for a question page (Google's Q&A rich result): the accepted and the other answers. */
export function qaPageJsonLd(input: QaPageInput): Record<string, unknown> {
  return {
    "@context": "https://schema.org",
    "@type": "QAPage",
    url: input.url,
    inLanguage: input.locale,
    mainEntity: {
      "@type": "Question",
      name: input.title,
      text: clip(input.text) || input.title,
      answerCount: input.answerCount,
      upvoteCount: input.score,
      dateCreated: new Date(input.createdAt).toISOString(),
      author: { "@type": "Person", name: input.authorName },
      ...(input.accepted ? { acceptedAnswer: answerLd(input.url, input.accepted) } : {}),
      ...(input.suggested.length ? { suggestedAnswer: input.suggested.map((a) => answerLd(input.url, a)) } : {}),
    },
  };
}
