vcl 4.1;

# The site's shared HTTP cache (docs/deployment.md): TLS terminator -> Varnish
# -> gunicorn on loopback. The app says what may be kept (Cache-Control with
# s-maxage, xkey tags) and purges what changed; this file keeps only that, for
# anonymous visitors. deploy/edge.py sets the backend's port and adds purgers.

import std;
import accept;
import cookie;
import purge;
import var;
import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8001";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 10s;
}

# Who may PURGE: the app's processes, talking to Varnish directly.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_init {
    # Pages take their language from the address; the API from Accept-Language
    # (Vary), reduced here to the language it will pick: two copies at most.
    new languages = accept.rule("en");
    languages.add("en");
    languages.add("fr");
}

sub vcl_recv {
    # The only include the app makes is a page's CSRF token (cms/esi.py):
    # rendered in vcl_synth from the visitor's own request.
    if (req.esi_level > 0) {
        return (synth(200, "CSRF token"));
    }
    if (req.restarts == 0) {
        # Set only by this file.
        unset req.http.X-Edge-Secret;
        unset req.http.X-Edge-Cookie;
        unset req.http.X-Edge-Page;
        unset req.http.X-Edge-Fresh;
    }
    unset req.http.Surrogate-Capability;

    if (req.method == "PURGE") {
        # Never relayed by the TLS terminator (it adds these headers).
        if (client.ip !~ purgers || req.http.X-Forwarded-Proto
                || req.http.X-Forwarded-For ~ ",") {
            return (synth(405, "Not allowed"));
        }
        # A fetch that began before this may bring back what it drops.
        var.global_set("purged-at", "" + std.real(time = now));
        if (req.http.xkey-purge) {
            return (synth(200, "Purged " + xkey.softpurge(req.http.xkey-purge)));
        }
        return (hash);  # the URL: vcl_hit, vcl_miss
    }

    # The path as the app will read it, so that no spelling hides a document.
    set req.http.X-Path = regsub(req.url, "[?#].*$", "");
    set req.http.X-Path = regsuball(req.http.X-Path, "(?i)%2e", ".");
    set req.http.X-Path = regsuball(req.http.X-Path, "(?i)%2f|%5c|\\", "/");
    set req.http.X-Path = regsuball(req.http.X-Path, "/(\./)+", "/");
    set req.http.X-Path = regsuball(req.http.X-Path, "/{2,}", "/");
    set req.http.X-Path = regsub(req.http.X-Path, "/\.$", "/");
    # `..`, or a percent-encoded letter, digit or mark (never needed).
    if (req.http.X-Path ~ "(^|/)\.\.(/|$)" || req.http.X-Path
            ~ "(?i)%(2[de]|3[0-9]|4[1-9a-f]|5[0-9af]|6[1-9a-f]|7[0-9ae])") {
        return (synth(400, "Bad Request"));
    }
    # Documents leave only through Wagtail's view, which checks privacy.
    if (req.http.X-Path ~ "(?i)^/media/documents(/|$)") {
        return (synth(404, "Not Found"));
    }
    # A new CSRF secret, for this file's own restart only (vcl_deliver).
    if (req.http.X-Path ~ "^/-/csrf-secret/") {
        if (!req.http.X-Edge-Page) {
            return (synth(404, "Not Found"));
        }
        unset req.http.Cookie;
        return (pass);
    }
    unset req.http.X-Path;

    if (req.method != "GET" && req.method != "HEAD") {
        if (req.method ~ "^(POST|PUT|PATCH|DELETE|OPTIONS)$") {
            return (pass);
        }
        return (synth(405, "Method Not Allowed"));
    }
    if (req.url ~ "^/static/") {
        unset req.http.Cookie;
        return (hash);
    }
    # Nothing signed in, personal or previewed is stored or served from here.
    if (req.url ~ "^/(admin|django-admin|-)/|^(/fr)?/accounts/"
            || req.http.Authorization) {
        return (pass);
    }
    if (req.http.Cookie) {
        cookie.parse(req.http.Cookie);
        if (cookie.isset("sessionid") || cookie.isset("messages")) {
            return (pass);
        }
        # The secret of the visitor's CSRF tokens (a malformed one is replaced
        # in vcl_deliver). No other cookie changes a shared page.
        if (cookie.get("csrftoken") ~ "^[a-zA-Z0-9]{32}$") {
            set req.http.X-Edge-Secret = cookie.get("csrftoken");
        }
        unset req.http.Cookie;
    }
    set req.http.Accept-Language = languages.filter(req.http.Accept-Language);
    set req.http.Surrogate-Capability = {"varnish="ESI/1.0""};
    if (req.http.X-Edge-Fresh) {
        set req.grace = 0s;  # vcl_hit: after a purge, wait for the fresh copy
    }
    return (hash);
}

sub vcl_hit {
    if (req.method == "PURGE") {
        return (synth(200, "Purged " + purge.soft(0s)));
    }
    # Past its s-maxage, a copy is served while one background fetch
    # refreshes it (grace). Not a purged copy (its age is below the time it
    # was stored for): the next visitor must see the change, so the request
    # restarts without grace, and visitors arriving meanwhile wait for that
    # one fetch (request coalescing), not a crowd at gunicorn.
    if (obj.ttl <= 0s && obj.http.X-Ttl
            && obj.age < std.duration(obj.http.X-Ttl + "s", 0s)) {
        set req.http.X-Edge-Fresh = "1";
        return (restart);
    }
}

sub vcl_miss {
    if (req.method == "PURGE") {
        return (synth(200, "Purged " + purge.soft(0s)));
    }
}

sub vcl_backend_fetch {
    var.set_real("fetch-start", std.real(time = now));
    unset bereq.http.X-Edge-Secret;
}

sub vcl_backend_response {
    if (beresp.http.Surrogate-Control ~ "ESI/1\.0") {
        # A page with a form (its CSRF token is an include): kept and sent
        # uncompressed. Gzipped, each delivery would join the CRCs of its
        # pieces, which made such a hit cost five times a plain one instead
        # of under twice (docs/deployment.md); and no compressor ever sees a
        # visitor's token (BREACH).
        unset beresp.http.Surrogate-Control;
        set beresp.do_esi = true;
        set beresp.do_gunzip = true;
    } elsif (beresp.http.Content-Type ~ "(?i)^(text/|application/(json|javascript|xml|[a-z.+-]*\+(json|xml))|image/svg)"
            && !beresp.http.Content-Encoding) {
        set beresp.do_gzip = true;
    }
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);  # a failed refresh keeps the stale copy
    }
    if (bereq.url ~ "^/static/.*\.[0-9a-f]{12}\.[a-zA-Z0-9]+(\?.*)?$"
            && beresp.status == 200) {
        # A hashed name (ManifestStaticFilesStorage) changes with the content.
        unset beresp.http.Set-Cookie;
        set beresp.ttl = 365d;
        set beresp.http.Cache-Control = "public, max-age=31536000, immutable";
        return (deliver);
    }
    # Only what the app calls shared: s-maxage, no cookie, nothing private.
    # Anything else is a hit-for-miss marker: the next request asks the app.
    if (beresp.http.Set-Cookie
            || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
            || beresp.http.Cache-Control !~ "(?i)s-maxage="
            || beresp.http.Vary == "*") {
        set beresp.ttl = 30s;
        set beresp.grace = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # ttl from s-maxage, grace from stale-while-revalidate (or 30 s).
    if (beresp.http.Cache-Control !~ "(?i)stale-while-revalidate=") {
        set beresp.grace = 30s;
    }
    # A purge reaches only stored copies: one fetched across it may show the
    # data from before, so it is kept a second, not s-maxage.
    if (var.get_real("fetch-start") <= std.real(var.global_get("purged-at"), 0.0)) {
        set beresp.ttl = 1s;
        set beresp.grace = 0s;
    }
    set beresp.keep = 10m;  # for conditional fetches (ETag, Last-Modified)
    set beresp.http.X-Ttl = regsub("" + beresp.ttl, "\..*$", "");
    return (deliver);
}

sub vcl_backend_error {
    if (bereq.is_bgfetch) {
        return (abandon);
    }
}

sub vcl_deliver {
    # A page with a form, for a visitor without a CSRF secret: Django makes one
    # (/-/csrf-secret/), then the page is delivered with its token and the
    # secret's cookie (the headers of an include never reach the browser).
    if (obj.can_esi && !req.http.X-Edge-Secret && !req.http.X-Edge-Page) {
        set req.http.X-Edge-Page = req.url;
        set req.url = "/-/csrf-secret/";
        return (restart);
    }
    if (req.url == "/-/csrf-secret/") {
        if (resp.http.X-Csrf-Secret ~ "^[a-zA-Z0-9]{32}$") {
            set req.http.X-Edge-Secret = resp.http.X-Csrf-Secret;
            set req.http.X-Edge-Cookie = resp.http.X-Csrf-Set-Cookie;
        }
        set req.url = req.http.X-Edge-Page;
        return (restart);
    }
    if (obj.can_esi) {
        # This visitor's token is in the body: no shared copy downstream, and
        # no validator (a 304 would keep a page with an outdated token).
        set resp.http.Cache-Control = "private, no-cache";
        unset resp.http.ETag;
        unset resp.http.Last-Modified;
        if (req.http.X-Edge-Cookie) {
            set resp.http.Set-Cookie = req.http.X-Edge-Cookie;
        }
    }
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.xkey;
    unset resp.http.X-Ttl;
    unset resp.http.X-Varnish;
    unset resp.http.Via;
}

sub vcl_synth {
    if (req.esi_level > 0) {
        # What {% csrf_token %} renders, with the visitor's secret itself as
        # the token: Django accepts the unmasked secret. It is never stored nor
        # compressed (BREACH: docs/deployment.md), and was checked against
        # ^[a-zA-Z0-9]{32}$ (nothing else reaches the markup).
        set resp.http.Content-Type = "text/html; charset=utf-8";
        set resp.body = {"<input type="hidden" name="csrfmiddlewaretoken" value=""}
            + req_top.http.X-Edge-Secret + {"">"};
        return (deliver);
    }
    if (req.method == "PURGE") {
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        set resp.body = resp.reason + {"
"};
        return (deliver);
    }
}
