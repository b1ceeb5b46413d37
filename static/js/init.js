import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

// On a phone the dashboard's long lists start folded behind their headings, so the
// figures come first. On a wider screen they are open, and their toggle is hidden
// (static/src/_tracker.scss), so they are opened again whenever the screen widens.
// Without JavaScript they stay open.
const phone = window.matchMedia("(max-width: 40.0525em)");
const foldForScreen = () => {
  document.querySelectorAll("details[data-app-fold]").forEach((details) => {
    details.open = !phone.matches;
  });
};
foldForScreen();
phone.addEventListener("change", foldForScreen);
