import { Form } from "@remix-run/react";
import { useT } from "../../features/i18n/use-i18n";

/**
 * Up/down votes as a plain form (works without JavaScript). Pressing the vote you already gave withdraws
 * it (value 0). Buttons the viewer may not use are disabled with the reason as their title; the server
 * decides anyway.
 */
export function VoteButtons({
  postType,
  postId,
  score,
  myVote,
  canUpvote,
  canDownvote,
  disabledReason,
}: {
  postType: "question" | "answer";
  postId: number;
  score: number;
  myVote: -1 | 0 | 1;
  canUpvote: boolean;
  canDownvote: boolean;
  disabledReason?: string;
}) {
  const t = useT();
  return (
    <Form method="post" className="vote-buttons" preventScrollReset>
      <input type="hidden" name="intent" value="vote" />
      <input type="hidden" name="postType" value={postType} />
      <input type="hidden" name="postId" value={postId} />
      <button
        type="submit"
        name="value"
        value={myVote === 1 ? "0" : "1"}
        aria-pressed={myVote === 1}
        aria-label={t(myVote === 1 ? "forum.vote.withdrawUp" : "forum.vote.up")}
        title={canUpvote ? undefined : disabledReason}
        disabled={!canUpvote}
      >
        ▲
      </button>
      <span className="vote-score" data-testid={`score-${postType}-${postId}`}>
        <span className="visually-hidden">{t("forum.vote.score")} </span>
        {score}
      </span>
      <button
        type="submit"
        name="value"
        value={myVote === -1 ? "0" : "-1"}
        aria-pressed={myVote === -1}
        aria-label={t(myVote === -1 ? "forum.vote.withdrawDown" : "forum.vote.down")}
        title={canDownvote ? undefined : disabledReason ?? t("forum.vote.downvoteNeedsReputation")}
        disabled={!canDownvote}
      >
        ▼
      </button>
    </Form>
  );
}
