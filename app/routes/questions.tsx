import { PlaceholderPage } from "../components/placeholder";

export default function QuestionsPlaceholder() {
  return <PlaceholderPage section="nav.questions" />;
}
