import { z } from "zod";
import { LOCALES } from "../../../db/schema/identity";

// Messages are catalog keys; the form renders them in the viewer's language.

export const emailField = z
  .string({ error: "form.required" })
  .trim()
  .min(1, "form.required")
  .max(254, "form.tooLong")
  .email("form.email")
  .transform((v) => v.toLowerCase());

export const newPasswordField = z
  .string({ error: "form.required" })
  .min(10, "auth.passwordTooShort")
  .max(200, "form.tooLong");

export const loginSchema = z.object({
  email: emailField,
  password: z.string({ error: "form.required" }).min(1, "form.required").max(200, "form.tooLong"),
  redirectTo: z.string().max(2000).optional(),
});

export const signupSchema = z.object({
  displayName: z.string({ error: "form.required" }).trim().min(1, "form.required").max(80, "form.tooLong"),
  email: emailField,
  password: newPasswordField,
});

export const forgotPasswordSchema = z.object({ email: emailField });

export const resetPasswordSchema = z
  .object({
    token: z.string().min(10).max(200),
    password: newPasswordField,
    confirmPassword: z.string({ error: "form.required" }).min(1, "form.required"),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "auth.passwordMismatch" });

export const HANDLE_PATTERN = /^[a-z0-9_]{3,30}$/;

export const profileSchema = z.object({
  displayName: z.string({ error: "form.required" }).trim().min(1, "form.required").max(80, "form.tooLong"),
  handle: z
    .string({ error: "form.required" })
    .trim()
    .toLowerCase()
    .regex(HANDLE_PATTERN, "profile.handleHint"),
  locale: z.enum(LOCALES).optional(),
  timeZone: z.string().trim().max(64).optional(),
  bio: z.string().trim().max(1000, "form.tooLong").optional().default(""),
});
