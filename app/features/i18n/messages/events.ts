import { defineMessages } from "../define";

// Webinars and group events for members: the catalog, event pages, registration, RSVP, survey, calendars.
// The form-field messages at the top are shared by the staff and leader event forms (events.schema.ts).
export const events = defineMessages(
  {
    "events.field.urlInvalid": "Enter a full web address starting with https://.",
    "events.field.tagsTooMany": "Use at most 8 topics.",
    "events.field.tagTooLong": "Each topic can be at most 40 characters.",
    "events.field.speakersTooMany": "List at most 10 speakers.",
    "events.field.speakerInvalid": "Write one speaker per line as “Name — Title”.",
    "events.field.questionsTooMany": "Ask at most 5 questions.",
    "events.field.questionInvalid": "Write one question per line; choices after “::”, separated by “|”.",
    "events.field.questionDuplicate": "Two questions have the same text.",
    "events.field.slugInvalid": "Use lower-case letters, digits and single hyphens, like intro-to-dashboards.",
    "events.field.slugTaken": "Another event already uses this URL.",
    "events.field.timeZoneInvalid": "Choose a time zone from the list.",
    "events.field.timeInvalid": "Enter a date and time.",
    "events.field.endBeforeStart": "The end must be after the start.",
    "events.field.tooLong": "An event can last at most 72 hours.",
    "events.field.webinarOnline": "Webinars are online.",
    "events.survey.ratingRequired": "Choose a rating from 1 to 5.",
  },
  {
    "events.field.urlInvalid": "https:// で始まる完全なURLを入力してください。",
    "events.field.tagsTooMany": "トピックは8個までです。",
    "events.field.tagTooLong": "トピックはそれぞれ40文字までです。",
    "events.field.speakersTooMany": "登壇者は10人までです。",
    "events.field.speakerInvalid": "登壇者は1行に1人ずつ「名前 — 肩書き」の形で書いてください。",
    "events.field.questionsTooMany": "質問は5個までです。",
    "events.field.questionInvalid": "質問は1行に1つずつ書き、選択肢は「::」の後に「|」で区切って書いてください。",
    "events.field.questionDuplicate": "同じ文面の質問が2つあります。",
    "events.field.slugInvalid": "小文字の英数字と単一のハイフンを使ってください（例: intro-to-dashboards）。",
    "events.field.slugTaken": "このURLは別のイベントで使われています。",
    "events.field.timeZoneInvalid": "一覧からタイムゾーンを選んでください。",
    "events.field.timeInvalid": "日時を入力してください。",
    "events.field.endBeforeStart": "終了は開始より後にしてください。",
    "events.field.tooLong": "イベントの長さは最大72時間です。",
    "events.field.webinarOnline": "ウェビナーはオンライン開催です。",
    "events.survey.ratingRequired": "1から5の評価を選んでください。",
  },
);
