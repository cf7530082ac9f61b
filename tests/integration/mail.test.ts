import net from "node:net";
import { eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DbHandle } from "../../db/client";
import { jobs, mailMessages, recurringJobs, users } from "../../db/schema";
import { resetEnvCache } from "../../app/env.server";
import { claimJobs, completeJob, type ClaimedJob } from "../../app/features/jobs/queue.server";
import { enqueueMail, getMail, listMail, sendMailJob } from "../../app/features/mail/mail.server";
import { startWorkers } from "../../app/workers.server";
import { createTestDb } from "../support/db";

let handle: DbHandle;
const logger = pino({ level: "silent" });

beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await handle.close();
});
beforeEach(async () => {
  await handle.db.delete(mailMessages);
  await handle.db.delete(jobs);
  await handle.db.delete(recurringJobs);
});
afterEach(() => {
  delete process.env.SMTP_URL;
  resetEnvCache();
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function claimMailJob(workerId = "test-worker"): Promise<ClaimedJob> {
  const [job] = await claimJobs(handle.db, { workerId, limit: 1, leaseSeconds: 60 });
  if (!job) throw new Error("no mail job to claim");
  return job;
}

/** Just enough SMTP to accept messages from nodemailer on localhost, so the SMTP path runs for real. */
async function startFakeSmtpServer(): Promise<{ url: string; messages: string[]; close(): Promise<void> }> {
  const messages: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    let buffer = "";
    let data: string | null = null;
    socket.write("220 fake.smtp ESMTP\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      let end: number;
      while ((end = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data !== null) {
          if (line === ".") {
            messages.push(data);
            data = null;
            socket.write("250 2.0.0 queued\r\n");
          } else data += `${line}\n`;
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") socket.write("250 fake.smtp\r\n");
        else if (verb === "DATA") {
          data = "";
          socket.write("354 go ahead\r\n");
        } else if (verb === "QUIT") {
          socket.end("221 bye\r\n");
        } else socket.write("250 ok\r\n");
      }
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

describe("enqueueMail", () => {
  it("queues a mail.send job with a validated, normalized payload", async () => {
    const id = await enqueueMail(handle.db, {
      to: "  Aiko@Example.TEST ",
      template: "verify_email",
      locale: "ja",
      params: { displayName: "Aiko", url: "https://hearth.test/verify-email?token=t" },
    });
    const [job] = await handle.db.select().from(jobs).where(eq(jobs.id, id));
    expect(job).toMatchObject({
      type: "mail.send",
      status: "queued",
      payload: { to: "aiko@example.test", userId: null, template: "verify_email", locale: "ja" },
    });
  });

  it("refuses params that do not fit the template, and queues nothing", async () => {
    await expect(
      enqueueMail(handle.db, {
        to: "a@example.test",
        template: "reset_password",
        locale: "en",
        // A url is required, and must be http(s).
        params: { displayName: "A", url: "javascript:alert(1)" },
      }),
    ).rejects.toThrow();
    await expect(enqueueMail(handle.db, { to: "not-an-address", template: "test", locale: "en", params: { displayName: "A" } })).rejects.toThrow();
    expect(await handle.db.select().from(jobs)).toHaveLength(0);
  });

  it("sends nothing when the caller's transaction rolls back", async () => {
    await expect(
      handle.db.transaction(async (tx) => {
        await enqueueMail(tx, { to: "a@example.test", template: "test", locale: "en", params: { displayName: "A" } });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await handle.db.select().from(jobs)).toHaveLength(0);
  });
});

describe("mail.send handler", () => {
  it("is delivered end to end by the workers and stored once, even if the job runs again", async () => {
    const [user] = await handle.db
      .insert(users)
      .values({ email: "ken@example.test", passwordHash: "x", displayName: "Ken", handle: "ken" })
      .returning();
    const jobId = await enqueueMail(handle.db, {
      to: "ken@example.test",
      userId: user!.id,
      template: "reset_password",
      locale: "en",
      params: { displayName: "Ken <b>", url: "https://hearth.test/reset-password?token=abc" },
    });

    const workers = startWorkers({ db: handle.db, logger, pollMs: 20 });
    try {
      await waitFor(async () => (await handle.db.select().from(jobs).where(eq(jobs.id, jobId)))[0]?.status === "done");
    } finally {
      await workers.stop();
    }

    const rows = await handle.db.select().from(mailMessages).where(eq(mailMessages.jobId, jobId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      toAddress: "ken@example.test",
      userId: user!.id,
      template: "reset_password",
      locale: "en",
      status: "stored",
      subject: "Reset your Hearth password",
    });
    expect(rows[0]!.html).toContain("Ken &lt;b&gt;");
    expect(rows[0]!.text).toContain("https://hearth.test/reset-password?token=abc");

    // At-least-once delivery means the same job can run again (a lease expired after the row was written).
    const [job] = await handle.db.select().from(jobs).where(eq(jobs.id, jobId));
    await sendMailJob({ db: handle.db, job: { ...job!, lockedBy: "again", lockedUntil: new Date() }, logger });
    expect(await handle.db.select().from(mailMessages).where(eq(mailMessages.jobId, jobId))).toHaveLength(1);
  });

  it("stores one message when two runs of the same job overlap", async () => {
    await enqueueMail(handle.db, { to: "twice@example.test", template: "test", locale: "ja", params: { displayName: "二重" } });
    const job = await claimMailJob();
    await Promise.all([sendMailJob({ db: handle.db, job, logger }), sendMailJob({ db: handle.db, job, logger })]);
    const rows = await handle.db.select().from(mailMessages).where(eq(mailMessages.jobId, job.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.subject).toBe("【Hearth】テストメール");
  });

  it("sends through SMTP when SMTP_URL is set, once per job, and logs the message as sent", async () => {
    const smtp = await startFakeSmtpServer();
    try {
      process.env.SMTP_URL = smtp.url;
      resetEnvCache();
      await enqueueMail(handle.db, {
        to: "smtp@example.test",
        template: "verify_email",
        locale: "en",
        params: { displayName: "Sam", url: "https://hearth.test/verify-email?token=xyz" },
      });
      const job = await claimMailJob();
      await sendMailJob({ db: handle.db, job, logger });
      await sendMailJob({ db: handle.db, job, logger });
      await completeJob(handle.db, job);

      expect(smtp.messages).toHaveLength(1);
      expect(smtp.messages[0]).toContain("Subject: Confirm your email address for Hearth");
      expect(smtp.messages[0]).toContain(`Message-ID: <hearth-mail-job-${job.id}@`);
      const [row] = await handle.db.select().from(mailMessages).where(eq(mailMessages.jobId, job.id));
      expect(row).toMatchObject({ status: "sent", toAddress: "smtp@example.test" });
    } finally {
      await smtp.close();
    }
  });

  it("sends and stores an event's .ics as a text/calendar attachment", async () => {
    const smtp = await startFakeSmtpServer();
    try {
      process.env.SMTP_URL = smtp.url;
      resetEnvCache();
      const event = {
        kind: "webinar" as const,
        slug: "launch-day",
        uid: "event-9@hearth.test",
        title: "Launch day",
        summary: "",
        url: "https://hearth.test/webinars/launch-day",
        startsAt: "2026-03-08T15:00:00.000Z",
        endsAt: "2026-03-08T16:00:00.000Z",
        location: "https://hearth.test/webinars/launch-day",
        status: "CONFIRMED" as const,
        sequence: 1,
        updatedAt: "2026-03-01T00:00:00.000Z",
      };
      await enqueueMail(handle.db, { to: "ics@example.test", template: "event_registered", locale: "en", params: { displayName: "Ivy", timeZone: "UTC", event } });
      const job = await claimMailJob();
      await sendMailJob({ db: handle.db, job, logger });
      await completeJob(handle.db, job);
      expect(smtp.messages).toHaveLength(1);
      expect(smtp.messages[0]).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=PUBLISH;?\s+name=launch-day\.ics/i);
      expect(smtp.messages[0]).toContain('filename=launch-day.ics');
      const [row] = await handle.db.select().from(mailMessages).where(eq(mailMessages.jobId, job.id));
      expect(row?.attachments).toHaveLength(1);
      expect(row?.attachments[0]?.content).toContain("DTSTART:20260308T150000Z");
    } finally {
      await smtp.close();
    }
  });

  it("keeps no record when the SMTP send fails, so the retry sends again", async () => {
    // Nothing listens on this port: the connection is refused.
    const closed = await startFakeSmtpServer();
    await closed.close();
    process.env.SMTP_URL = closed.url;
    resetEnvCache();
    await enqueueMail(handle.db, { to: "down@example.test", template: "test", locale: "en", params: { displayName: "D" } });
    const job = await claimMailJob();
    await expect(sendMailJob({ db: handle.db, job, logger })).rejects.toThrow();
    expect(await handle.db.select().from(mailMessages).where(eq(mailMessages.jobId, job.id))).toHaveLength(0);
  });

  it("parks a job whose payload can never render", async () => {
    const [row] = await handle.db.insert(jobs).values({ type: "mail.send", payload: { to: "x@example.test", template: "nope" } }).returning();
    const workers = startWorkers({ db: handle.db, logger, pollMs: 20 });
    try {
      await waitFor(async () => (await handle.db.select().from(jobs).where(eq(jobs.id, row!.id)))[0]?.status === "dead");
    } finally {
      await workers.stop();
    }
    const [job] = await handle.db.select().from(jobs).where(eq(jobs.id, row!.id));
    expect(job).toMatchObject({ attempts: 1, lastError: expect.stringContaining("Invalid mail.send payload") });
  });
});

describe("mail viewer", () => {
  it("lists messages newest first, filters by recipient, and loads one in full", async () => {
    for (const [to, name] of [
      ["a@example.test", "A1"],
      ["b@example.test", "B1"],
      ["A@Example.test", "A2"],
    ] as const) {
      await enqueueMail(handle.db, { to, template: "test", locale: "en", params: { displayName: name } });
      const job = await claimMailJob();
      await sendMailJob({ db: handle.db, job, logger });
      await completeJob(handle.db, job);
    }
    const all = await listMail(handle.db, { limit: 10 });
    expect(all).toHaveLength(3);
    expect(all[0]).not.toHaveProperty("html");

    const forA = await listMail(handle.db, { limit: 10, to: "A@example.test" });
    expect(forA.map((m) => m.toAddress)).toEqual(["a@example.test", "a@example.test"]);
    expect(forA[0]!.id).toBeGreaterThan(forA[1]!.id);
    expect(await listMail(handle.db, { limit: 1, offset: 1, to: "a@example.test" })).toEqual([forA[1]]);

    const full = await getMail(handle.db, forA[0]!.id);
    expect(full?.text).toContain("Hi A2,");
    expect(full?.html).toContain("<html");
    expect(await getMail(handle.db, 999_999)).toBeNull();
  });
});
