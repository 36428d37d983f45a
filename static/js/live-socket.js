// A WebSocket that stays live (docs/architecture.md, "Pages that reconnect").
// When the connection drops it reconnects with exponential backoff and jitter,
// and after every connect (the first included) it calls `onopen` so the page
// fetches what it missed; the page drops what it already shows, by id.
// While away, a quiet status (role="status", so aria-live="polite") says so.
// Progressive enhancement: pages work fully without it.
(function () {
  "use strict";
  if (window.hrcLiveSocket) return; // the base page and a page's own scripts may both load it
  var FIRST_DELAY = 1000; // ms; doubled per failed attempt...
  var MAX_DELAY = 30000; // ...up to this
  var SHOW_STATUS_AFTER = 1500; // a blip that heals at once says nothing
  var PING_EVERY = 25000; // keeps proxies from closing an idle socket...
  var PONG_WITHIN = 10000; // ...and finds a dead one the browser has not noticed

  function liveSocket(path, options) {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var url = scheme + location.host + path;
    var status = options.status;
    var failures = 0;
    var socket = null;
    var retryTimer = null;
    var statusTimer = null;
    var pingTimer = null;
    var pongTimer = null;

    function say(text) {
      if (status && status.textContent !== text) status.textContent = text;
    }

    function state(name) {
      if (status) status.setAttribute("data-state", name); // "open" or "away"
    }

    function nextDelay() {
      // "Equal jitter": half the backoff, plus up to as much again at random, so
      // that every page a restart disconnected does not come back at once.
      var backoff = Math.min(MAX_DELAY, FIRST_DELAY * Math.pow(2, failures));
      return backoff / 2 + Math.random() * (backoff / 2);
    }

    function stopHeartbeat() {
      clearInterval(pingTimer);
      clearTimeout(pongTimer);
      pingTimer = pongTimer = null;
    }

    function startHeartbeat(current) {
      pingTimer = setInterval(function () {
        if (current.readyState !== WebSocket.OPEN) return;
        current.send(JSON.stringify({ type: "ping" }));
        clearTimeout(pongTimer);
        pongTimer = setTimeout(function () { current.close(); }, PONG_WITHIN);
      }, PING_EVERY);
    }

    function scheduleReconnect() {
      if (retryTimer) return;
      if (!statusTimer && status && !status.textContent) {
        statusTimer = setTimeout(function () {
          statusTimer = null;
          say(status.getAttribute("data-reconnecting") || "");
        }, SHOW_STATUS_AFTER);
      }
      retryTimer = setTimeout(connect, nextDelay());
      failures += 1;
    }

    function connect() {
      retryTimer = null;
      var current = new WebSocket(url);
      socket = current;
      current.onopen = function () {
        failures = 0;
        state("open");
        clearTimeout(statusTimer);
        statusTimer = null;
        say("");
        startHeartbeat(current);
        if (options.onopen) options.onopen();
      };
      current.onmessage = function (event) {
        clearTimeout(pongTimer); // anything at all shows the socket is alive
        var data;
        try { data = JSON.parse(event.data); } catch (e) { return; }
        if (!data || data.type === "pong") return;
        options.onmessage(data);
      };
      current.onclose = function () {
        if (socket !== current) return;
        socket = null;
        state("away");
        stopHeartbeat();
        scheduleReconnect();
      };
    }

    // Back on the network: try now rather than at the end of a long backoff.
    window.addEventListener("online", function () {
      if (socket || !retryTimer) return;
      clearTimeout(retryTimer);
      failures = 0;
      connect();
    });

    connect();
  }

  window.hrcLiveSocket = liveSocket;
})();
