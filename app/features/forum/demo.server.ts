import { inArray, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { users } from "../../../db/schema";
import { acceptAnswer } from "./accept.server";
import { closeQuestion } from "./moderation.server";
import { askQuestion, postAnswer, postComment } from "./questions.server";
import type { ForumActor } from "./result";
import { castVote } from "./votes.server";

// Demo Q&A for the zero-setup server and the e2e suite, in English and Japanese. Everything goes through
// the real forum commands, so counters, revisions, ledger entries, reputation, badges and notifications
// are what real use would leave behind.

/** Demo members by handle (db/seed.ts). Marcus is a moderator, so his questions may create the tags. */
const HANDLES = {
  marcus: "marcus_bell",
  olivia: "olivia_chen",
  james: "jokafor",
  ethan: "ebrooks",
  grace: "gracekim",
  ava: "avapatel",
  chloe: "chloe_nguyen",
  haruto: "haruto_sato",
  yui: "yui_tanaka",
  ren: "ren_suzuki",
  mio: "mio_t",
  hina: "hina_k",
  rachel: "rachel_adams",
  omar: "ohaddad",
  tom: "tomharris",
} as const;
type Who = keyof typeof HANDLES;

interface DemoAnswer {
  by: Who;
  body: string;
  votes?: Who[];
  accepted?: boolean;
  comments?: { by: Who; body: string }[];
}

interface DemoQuestion {
  key: string;
  by: Who;
  locale: "en" | "ja";
  title: string;
  body: string;
  tags: string[];
  votes?: Who[];
  comments?: { by: Who; body: string }[];
  answers: DemoAnswer[];
  /** Closed by the moderator as a duplicate of the question with this key. */
  duplicateOf?: string;
}

const QUESTIONS: DemoQuestion[] = [
  {
    key: "sso-okta",
    by: "marcus",
    locale: "en",
    title: "Setting up single sign-on with Okta: which SAML attributes are required?",
    body: "We are connecting Hearth to Okta. The SAML app is created, but sign-in fails with *invalid assertion*. Which attributes does Hearth expect?\n\n```xml\n<saml:Attribute Name=\"email\">\n  <saml:AttributeValue>marcus.bell@northwind.example</saml:AttributeValue>\n</saml:Attribute>\n```",
    tags: ["sso", "saml", "okta", "scim"],
    votes: ["olivia", "james", "haruto", "rachel"],
    answers: [
      {
        by: "olivia",
        body: "Hearth needs `email` (the NameID works too) and, if you want names filled in, `firstName` and `lastName`. The *invalid assertion* error is almost always the audience: it must be exactly the **Entity ID** shown on the SSO settings page, including the trailing slash.",
        votes: ["marcus", "james", "rachel", "haruto"],
        accepted: true,
        comments: [{ by: "marcus", body: "The trailing slash was it. Thank you!" }],
      },
      { by: "rachel", body: "Also check the clock on your IdP: an assertion more than five minutes old is refused.", votes: ["olivia"] },
    ],
  },
  {
    key: "api-rate-limit",
    by: "marcus",
    locale: "en",
    title: "What are the API rate limits, and how should a sync job back off?",
    body: "Our nightly sync started getting HTTP 429 responses. What are the limits per token, and what is the recommended way to retry?",
    tags: ["api", "rate-limits", "webhooks"],
    votes: ["ethan", "tom"],
    answers: [
      {
        by: "rachel",
        body: "The limit is per token and per minute. Read the `Retry-After` header and wait that many seconds before retrying:\n\n```python\nimport time, requests\nr = requests.get(url, headers=headers)\nif r.status_code == 429:\n    time.sleep(int(r.headers[\"Retry-After\"]))\n```",
        votes: ["marcus", "ethan", "olivia"],
        accepted: true,
      },
      {
        by: "olivia",
        body: "If the sync only needs changes, switch to webhooks: you get an event per change and stay far below the limit.",
        votes: ["tom"],
        comments: [{ by: "tom", body: "We did this last quarter and our API calls dropped by 90%." }],
      },
    ],
  },
  {
    key: "notifications-inbox",
    by: "marcus",
    locale: "en",
    title: "Can forum notification emails for our team go to a shared inbox?",
    body: "Our support team wants answers to the questions they follow to arrive in the shared support inbox rather than in personal mailboxes.",
    tags: ["notifications", "permissions"],
    answers: [
      {
        by: "olivia",
        body: "Not per team yet. What we do: a service account with the shared inbox as its email follows the questions and tags, with the digest set to **immediate**.",
        votes: ["marcus", "ava"],
        accepted: true,
      },
    ],
  },
  {
    key: "billing-seats",
    by: "marcus",
    locale: "en",
    title: "Do deactivated members still count as paid seats on our invoice?",
    body: "We deactivated about twenty people who left the company, but the seat count on the invoice did not change. Is there something else to do?",
    tags: ["billing", "seats", "export"],
    votes: ["grace", "james"],
    answers: [
      {
        by: "olivia",
        body: "Deactivated members stop counting at the **next billing period**, not immediately. The invoice preview under **Admin → Billing** shows the seats for the next period.",
        votes: ["james", "grace"],
        accepted: true,
        comments: [{ by: "james", body: "Good to know, our renewal is next month." }],
      },
    ],
  },
  {
    key: "dashboard-filters",
    by: "ethan",
    locale: "en",
    title: "Can I share a dashboard with saved filters without giving edit access?",
    body: "I want my team to see the dashboard with the filters I set, but not be able to change them.",
    tags: ["permissions"],
    answers: [
      { by: "rachel", body: "Save the filters as a **view**, then share the view with *Can view* permission. Viewers can change filters for themselves but cannot save them.", votes: ["ethan", "olivia"] },
    ],
    comments: [{ by: "grace", body: "I would like to know this too." }],
  },
  {
    key: "csv-export-encoding",
    by: "grace",
    locale: "en",
    title: "CSV export shows garbled Japanese characters in Excel",
    body: "When I open the exported CSV in Excel, Japanese names look like `ä½è—¤`. Is the export broken?",
    tags: ["export"],
    votes: ["tom"],
    answers: [
      {
        by: "tom",
        body: "The export is UTF-8; older Excel versions assume the system code page. Use **Data → From Text/CSV** and pick *65001: Unicode (UTF-8)*, or tick *Excel-compatible (UTF-8 with BOM)* in the export dialog.",
        votes: ["grace", "haruto", "olivia"],
        accepted: true,
      },
    ],
  },
  {
    key: "webhook-signature",
    by: "ava",
    locale: "en",
    title: "How do I verify the signature of incoming webhooks?",
    body: "Every webhook request has an `X-Hearth-Signature` header. How is it computed?",
    tags: ["webhooks", "api"],
    answers: [
      {
        by: "rachel",
        body: "It is an HMAC-SHA256 of the raw request body with your webhook secret, hex encoded:\n\n```js\nconst expected = crypto.createHmac(\"sha256\", secret).update(rawBody).digest(\"hex\");\n```\n\nCompare it with a constant-time comparison.",
        votes: ["ava", "marcus"],
      },
    ],
  },
  {
    key: "scim-groups",
    by: "chloe",
    locale: "en",
    title: "Does SCIM provisioning sync groups as well as users?",
    body: "We provision users from Azure AD with SCIM. Will the groups we assign in Azure show up in Hearth?",
    tags: ["scim", "sso"],
    answers: [],
  },
  {
    key: "ja-sso",
    by: "ren",
    locale: "ja",
    title: "シングルサインオンを有効にした後、一部のユーザーがログインできません",
    body: "SAML によるシングルサインオンを有効にしたところ、一部のユーザーだけ「アカウントが見つかりません」と表示されます。何を確認すればよいでしょうか?",
    tags: ["sso", "saml"],
    votes: ["haruto", "yui"],
    answers: [
      {
        by: "haruto",
        body: "IdP から送られるメールアドレスと、Hearth に登録されているメールアドレスが一致しているか確認してください。大文字と小文字の違いや、旧ドメインのアドレスが残っているケースが多いです。",
        votes: ["ren", "yui", "mio"],
        accepted: true,
        comments: [{ by: "ren", body: "旧ドメインのアドレスが原因でした。ありがとうございます!" }],
      },
      { by: "yui", body: "管理画面の **監査ログ** でログイン失敗の詳細を確認できます。原因の切り分けに便利です。", votes: ["ren"] },
    ],
  },
  {
    key: "ja-invoice",
    by: "mio",
    locale: "ja",
    title: "請求書の宛名を部署名に変更できますか",
    body: "経理から、請求書の宛名に部署名を入れてほしいと依頼がありました。設定する場所はありますか?",
    tags: ["billing"],
    answers: [
      {
        by: "yui",
        body: "**管理 → 請求 → 請求先情報** の「宛名」に部署名を追加できます。変更は次回発行分の請求書から反映されます。",
        votes: ["mio", "haruto"],
        accepted: true,
      },
    ],
  },
  {
    key: "ja-api",
    by: "hina",
    locale: "ja",
    title: "API でユーザー一覧を取得するとき、100 件までしか返ってきません",
    body: "`GET /v1/users` を呼ぶと 100 件で止まります。全件取得する方法はありますか?",
    tags: ["api"],
    comments: [{ by: "haruto", body: "レスポンスヘッダーに `Link` が含まれていませんか?" }],
    answers: [
      {
        by: "haruto",
        body: "ページングされています。レスポンスの `next_cursor` を次のリクエストに渡してください。\n\n```bash\ncurl \"https://api.example.com/v1/users?cursor=$NEXT\" -H \"Authorization: Bearer $TOKEN\"\n```",
        votes: ["hina", "yui", "tom"],
      },
    ],
  },
  {
    key: "ja-notifications",
    by: "mio",
    locale: "ja",
    title: "通知メールの頻度を毎日のまとめに変更したい",
    body: "回答がつくたびにメールが届くので、1 日 1 回のまとめにしたいです。",
    tags: ["notifications"],
    answers: [{ by: "yui", body: "プロフィールの **通知設定** で「毎日のまとめ」を選べます。", votes: ["mio"] }],
  },
  {
    key: "sso-okta-again",
    by: "omar",
    locale: "en",
    title: "Okta SAML sign-in says invalid assertion, what attributes does Hearth need?",
    body: "Trying to connect Okta and getting *invalid assertion* on every sign-in.",
    tags: ["sso", "okta"],
    answers: [],
    duplicateOf: "sso-okta",
  },
];

function unwrap<T extends object>(what: string, result: ({ ok: true } & T) | { ok: false }): T {
  if (!result.ok) throw new Error(`seedDemoForum: ${what} failed: ${JSON.stringify(result)}`);
  return result;
}

/**
 * Seeds the bilingual demo Q&A (13 questions, answers by the champions, accepted answers, votes, comments,
 * one question closed as a duplicate) through the forum commands, in one transaction. Needs the demo
 * members of db/seed.ts; meant for an empty forum. Returns what it wrote.
 */
export async function seedDemoForum(db: Db): Promise<{ questions: number; answers: number; comments: number; votes: number }> {
  return db.transaction(async (tx) => {
    const rows = await tx.select({ id: users.id, role: users.role, handle: users.handle }).from(users).where(inArray(users.handle, Object.values(HANDLES)));
    const byHandle = new Map(rows.map((r) => [r.handle, { id: r.id, role: r.role } satisfies ForumActor]));
    const actor = (who: Who): ForumActor => {
      const found = byHandle.get(HANDLES[who]);
      if (!found) throw new Error(`seedDemoForum: demo member @${HANDLES[who]} is missing (run the demo seed first)`);
      return found;
    };

    const counts = { questions: 0, answers: 0, comments: 0, votes: 0 };
    const questionIds = new Map<string, number>();
    const vote = async (voters: Who[] | undefined, postType: "question" | "answer", postId: number) => {
      for (const voter of voters ?? []) {
        unwrap(`vote by @${HANDLES[voter]}`, await castVote(tx, actor(voter), { postType, postId, value: 1 }));
        counts.votes += 1;
      }
    };
    const comment = async (list: { by: Who; body: string }[] | undefined, postType: "question" | "answer", postId: number) => {
      for (const c of list ?? []) {
        unwrap(`comment by @${HANDLES[c.by]}`, await postComment(tx, actor(c.by), { postType, postId, body: c.body }));
        counts.comments += 1;
      }
    };

    for (const q of QUESTIONS) {
      const asker = actor(q.by);
      const { questionId } = unwrap(
        `askQuestion ${q.key}`,
        await askQuestion(tx, asker, { title: q.title, bodyMd: q.body, tags: q.tags, kbArticleId: null }, { locale: q.locale }),
      );
      questionIds.set(q.key, questionId);
      counts.questions += 1;
      await vote(q.votes, "question", questionId);
      await comment(q.comments, "question", questionId);
      for (const a of q.answers) {
        const { answerId } = unwrap(`postAnswer on ${q.key}`, await postAnswer(tx, actor(a.by), { questionId, bodyMd: a.body }));
        counts.answers += 1;
        await vote(a.votes, "answer", answerId);
        await comment(a.comments, "answer", answerId);
        if (a.accepted) unwrap(`acceptAnswer on ${q.key}`, await acceptAnswer(tx, asker, answerId));
      }
      if (q.duplicateOf) {
        const original = questionIds.get(q.duplicateOf);
        if (original === undefined) throw new Error(`seedDemoForum: ${q.key} duplicates ${q.duplicateOf}, which comes later`);
        unwrap(
          `closeQuestion ${q.key}`,
          await closeQuestion(tx, actor("marcus"), { questionId, reason: "duplicate", duplicateOfQuestionId: original, note: "Same question as the Okta setup one." }),
        );
      }
    }
    await spreadDemoOverTime(tx, [...questionIds.values()]);
    return counts;
  });
}

/** Days between consecutive demo questions, so the oldest is about five weeks old. */
const DEMO_QUESTION_SPACING_DAYS = 2.5;

/**
 * Everything above was written at one instant; a forum where every post is seconds old hides the sorts,
 * the reputation history and the staff queue's "unanswered for 48 hours". Each question (in seeding order,
 * the last one newest) and everything on it moves back in time by the same amount; answers then follow
 * their question by a few hours each and comments by one hour. Ledger rows move with their posts, so
 * reputation history and the daily cap read as if it had happened then. Runs in the seeding transaction,
 * before any member stats are computed from the ledger.
 */
async function spreadDemoOverTime(tx: Db, questionIdsOldestFirst: number[]): Promise<void> {
  if (questionIdsOldestFirst.length === 0) return;
  const n = questionIdsOldestFirst.length;
  // Inlined rather than bound: CREATE TABLE AS takes no parameters. Both numbers are ours, never input.
  const shifts = sql.raw(
    questionIdsOldestFirst.map((id, i) => `(${Math.trunc(id)}, ${Math.round((n - i) * DEMO_QUESTION_SPACING_DAYS * 24)} * interval '1 hour')`).join(", "),
  );
  await tx.execute(sql`
    create temporary table demo_shift on commit drop as
      select q.id as question_id, s.back from (values ${shifts}) as s(question_id, back) join forum_questions q on q.id = s.question_id
  `);
  await tx.execute(sql`
    create temporary table demo_answer_shift on commit drop as
      select a.id as answer_id, d.back - interval '3 hours' * row_number() over (partition by a.question_id order by a.id) as back
      from forum_answers a join demo_shift d on d.question_id = a.question_id
  `);
  await tx.execute(sql`
    update forum_questions q set created_at = q.created_at - d.back, updated_at = q.updated_at - d.back,
      last_activity_at = q.last_activity_at - d.back, closed_at = q.closed_at - d.back, edited_at = q.edited_at - d.back
      from demo_shift d where q.id = d.question_id
  `);
  await tx.execute(sql`
    update forum_answers a set created_at = a.created_at - s.back, updated_at = a.updated_at - s.back,
      accepted_at = a.accepted_at - s.back, edited_at = a.edited_at - s.back
      from demo_answer_shift s where a.id = s.answer_id
  `);
  await tx.execute(sql`
    update forum_questions q set last_activity_at = greatest(q.last_activity_at, (select max(a.created_at) from forum_answers a where a.question_id = q.id))
      from demo_shift d where q.id = d.question_id and exists (select 1 from forum_answers a where a.question_id = q.id)
  `);
  await tx.execute(sql`
    update forum_comments c set created_at = c.created_at - d.back + interval '1 hour', updated_at = c.updated_at - d.back + interval '1 hour'
      from demo_shift d where c.question_id = d.question_id
  `);
  await tx.execute(sql`
    update forum_post_revisions r set created_at = r.created_at - d.back from demo_shift d where r.post_type = 'question' and r.post_id = d.question_id
  `);
  await tx.execute(sql`
    update forum_post_revisions r set created_at = r.created_at - s.back from demo_answer_shift s where r.post_type = 'answer' and r.post_id = s.answer_id
  `);
  await tx.execute(sql`
    update forum_votes v set created_at = v.created_at - d.back + interval '2 hours', updated_at = v.updated_at - d.back + interval '2 hours'
      from demo_shift d where v.post_type = 'question' and v.post_id = d.question_id
  `);
  await tx.execute(sql`
    update forum_votes v set created_at = v.created_at - s.back + interval '2 hours', updated_at = v.updated_at - s.back + interval '2 hours'
      from demo_answer_shift s where v.post_type = 'answer' and v.post_id = s.answer_id
  `);
  await tx.execute(sql`
    update forum_follows f set created_at = f.created_at - d.back from demo_shift d where f.target_type = 'question' and f.target_id = d.question_id
  `);
  await tx.execute(sql`
    update notifications n set created_at = n.created_at - d.back + interval '1 hour' from demo_shift d where n.question_id = d.question_id
  `);
  await tx.execute(sql`
    update activities a set occurred_at = a.occurred_at - d.back
      from demo_shift d where a.subject_type = 'forum_question' and a.subject_id = d.question_id::text
  `);
  await tx.execute(sql`
    update activities a set occurred_at = a.occurred_at - s.back + case when a.type like '%vote%' then interval '2 hours' else interval '0' end
      from demo_answer_shift s where a.subject_type = 'forum_answer' and a.subject_id = s.answer_id::text
  `);
  await tx.execute(sql`
    update activities a set occurred_at = a.occurred_at - d.back + interval '1 hour'
      from forum_comments c join demo_shift d on d.question_id = c.question_id
      where a.subject_type = 'forum_comment' and a.subject_id = c.id::text
  `);
}
