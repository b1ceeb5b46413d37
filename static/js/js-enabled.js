// Lets GOV.UK Frontend style components for JavaScript; a file, not inline, for the CSP.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
