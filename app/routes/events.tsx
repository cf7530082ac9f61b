import { PlaceholderPage } from "../components/placeholder";

export default function EventsPlaceholder() {
  return <PlaceholderPage section="nav.events" />;
}
