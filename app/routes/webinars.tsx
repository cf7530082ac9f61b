import { PlaceholderPage } from "../components/placeholder";

export default function WebinarsPlaceholder() {
  return <PlaceholderPage section="nav.webinars" />;
}
