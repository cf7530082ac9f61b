import { PlaceholderPage } from "../components/placeholder";

export default function GroupsPlaceholder() {
  return <PlaceholderPage section="nav.groups" />;
}
