import { PlaceholderPage } from "../components/placeholder";

export default function KbPlaceholder() {
  return <PlaceholderPage section="nav.kb" />;
}
