import { describe, expect, it } from "vitest";
import { eventFormSchema, groupFormSchema, parseRegistrationQuestions, formatRegistrationQuestions } from "../../app/features/events/events.schema";

const form = {
  kind: "webinar",
  title: "Getting started",
  startsLocal: "2026-12-01T10:00",
  endsLocal: "2026-12-01T11:00",
  timeZone: "Asia/Tokyo",
  capacity: "",
  speakers: "Priya Raman — Customer Success Lead",
  registrationQuestions: "What is your role? :: Admin | Analyst *\nAnything to ask?",
};

describe("event and group form schemas", () => {
  it("read local times in the organizer's zone", () => {
    const parsed = eventFormSchema.parse(form);
    expect(parsed.startsAt.toISOString()).toBe("2026-12-01T01:00:00.000Z");
    expect(parsed.capacity).toBeNull();
    expect(parsed.speakers).toEqual([{ name: "Priya Raman", title: "Customer Success Lead" }]);
  });

  it("accept their own output, so a command can parse what a route already parsed", () => {
    const once = eventFormSchema.parse({ ...form, capacity: "50", joinUrl: "https://meet.example.com/x" });
    expect(eventFormSchema.parse(once)).toEqual(once);
    const group = groupFormSchema.parse({ name: "Tokyo", kind: "region" });
    expect(groupFormSchema.parse(group)).toEqual(group);
  });

  it("refuse script links, an end before the start and an unknown zone with field messages", () => {
    const result = eventFormSchema.safeParse({ ...form, joinUrl: "javascript:alert(1)", endsLocal: "2026-12-01T09:00", timeZone: "Mars/Base" });
    expect(result.success).toBe(false);
    const fields = result.error!.issues.map((i) => `${i.path.join(".")}:${i.message}`);
    expect(fields).toContain("joinUrl:events.field.urlInvalid");
    expect(fields).toContain("timeZone:events.field.timeZoneInvalid");
  });

  it("round-trips registration questions through their textarea form", () => {
    const questions = parseRegistrationQuestions(form.registrationQuestions);
    expect(questions).toMatchObject([
      { label: "What is your role?", kind: "choice", options: ["Admin", "Analyst"], required: true },
      { label: "Anything to ask?", kind: "text", options: [], required: false },
    ]);
    expect(parseRegistrationQuestions(formatRegistrationQuestions(questions))).toEqual(questions);
  });
});
