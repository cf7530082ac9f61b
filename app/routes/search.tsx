import { PlaceholderPage } from "../components/placeholder";

export default function SearchPlaceholder() {
  return <PlaceholderPage section="search.submit" />;
}
