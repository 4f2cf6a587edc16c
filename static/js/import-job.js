// A catalogue import's page in the admin: asks the JSON status view every
// second, moves the progress bar and its text, and reloads the page once the
// import has finished so that the report shows. Without JavaScript the page
// offers a refresh link instead.
(function () {
  "use strict";

  const root = document.querySelector("[data-import-job]");
  if (!root || root.dataset.finished === "true") {
    return;
  }
  const progress = root.querySelector("progress");
  const status = root.querySelector("[data-import-job-status]");
  const message = root.querySelector("[data-import-job-message]");
  const refresh = root.querySelector("[data-import-job-refresh]");
  const EVERY = 1000;
  let delay = EVERY;

  if (refresh) {
    refresh.hidden = true;
  }

  function show(job) {
    // The status is a live region: only a change of status is announced.
    if (status.textContent !== job.status_label) {
      status.textContent = job.status_label;
    }
    message.textContent = job.message;
    progress.max = Math.max(job.rows_total, 1);
    if (job.saving) {
      progress.removeAttribute("value"); // writing is one step: indeterminate
    } else {
      progress.value = job.rows_processed;
    }
    progress.textContent = job.percent + "%";
  }

  async function poll() {
    try {
      const response = await fetch(root.dataset.statusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (!response.ok) {
        throw new Error("status " + response.status);
      }
      const job = await response.json();
      if (job.finished) {
        window.location.reload();
        return;
      }
      show(job);
      delay = EVERY;
    } catch (error) {
      // Keep trying, less often, and offer the link meanwhile.
      delay = Math.min(delay * 2, 30000);
      if (refresh) {
        refresh.hidden = false;
      }
    }
    window.setTimeout(poll, delay);
  }

  window.setTimeout(poll, delay);
})();
