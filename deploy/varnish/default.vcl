vcl 4.1;

# The site's shared HTTP cache (docs/deployment.md): TLS terminator -> Varnish
# (public port) -> gunicorn (loopback). The app says what may be cached
# (Cache-Control s-maxage, xkey tags) and purges what changed; this file only
# keeps what the app calls public, for anonymous visitors.
#
# deploy/edge.py renders this file for `make serve`, the tests and the
# benchmark: it replaces the backend's port and adds purger addresses
# (VARNISH_PURGERS) to the `purgers` ACL. Edit both by hand elsewhere.

import std;
import cookie;
import accept;
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

# Who may PURGE: the app's processes, which talk to Varnish directly.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_init {
    # The interface languages: the app answers `Vary: Accept-Language`, so the
    # header is reduced to the one language it will pick (two variants, not one
    # per browser).
    new languages = accept.rule("en");
    languages.add("en");
    languages.add("fr");
}

sub vcl_recv {
    if (req.restarts == 0 && req.esi_level == 0) {
        # Headers that only this VCL may set; a visitor cannot send them.
        unset req.http.X-Csrf-Secret-Step;
        unset req.http.X-Csrf-Page-Url;
        unset req.http.X-Csrf-Set-Cookie;
        unset req.http.X-Csrftoken;
        unset req.http.X-Fresh-Only;
    }
    unset req.http.X-Cache-State;
    unset req.http.Surrogate-Capability;

    if (req.method == "PURGE") {
        # Purges come from the app, straight to Varnish: never through the TLS
        # terminator (which adds X-Forwarded-Proto and a relayed address).
        if (client.ip !~ purgers || req.http.X-Forwarded-Proto
                || req.http.X-Forwarded-For ~ ",") {
            return (synth(405, "Not allowed"));
        }
        call remember_purge;
        if (req.http.xkey-purge) {
            set req.http.X-Purged = xkey.softpurge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.X-Purged));
        }
        return (hash);
    }

    # The path as the app will read it, for the refusals below: percent-encoded
    # dots and slashes decoded, `//` and `/./` collapsed, `..` refused.
    set req.http.X-Path = regsub(req.url, "[?#].*$", "");
    set req.http.X-Path = regsuball(req.http.X-Path, "(?i)%2e", ".");
    set req.http.X-Path = regsuball(req.http.X-Path, "(?i)%2f|%5c|\\", "/");
    set req.http.X-Path = regsuball(req.http.X-Path, "/(\./)+", "/");
    set req.http.X-Path = regsuball(req.http.X-Path, "/{2,}", "/");
    set req.http.X-Path = regsub(req.http.X-Path, "/\.$", "/");
    if (req.http.X-Path ~ "(^|/)\.\.(/|$)") {
        return (synth(400, "Bad Request"));
    }
    # Documents leave only through Wagtail's document view, which checks
    # privacy; their files are never served by URL.
    if (req.http.X-Path ~ "(?i)^/media/documents(/|$)") {
        return (synth(404, "Not Found"));
    }
    # Other percent-encoded letters, digits or marks are never needed (RFC
    # 3986 normalises them away) and would hide a path from the rules above.
    if (req.http.X-Path ~ "(?i)%(2[de]|3[0-9]|4[1-9a-f]|5[0-9af]|6[1-9a-f]|7[0-9ae])") {
        return (synth(400, "Bad Request"));
    }
    # The CSRF secret endpoint answers only this VCL's own restart (below).
    if (req.http.X-Path ~ "^/-/csrf-secret/") {
        if (req.http.X-Csrf-Secret-Step != "fetch") {
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

    # An ESI fragment that renders the visitor's CSRF token: the visitor's
    # secret comes from the page's request (req_top), never from a cache.
    if (req.esi_level > 0) {
        if (req.url == "/-/csrf-token/" && req_top.http.X-Csrftoken) {
            # A visitor with a secret (the cookie, or the one just made for
            # them by /-/csrf-secret/): Varnish renders the hidden input itself
            # (vcl_synth), no request to the app. See vcl_synth for why the
            # unmasked secret is a sound form token here.
            return (synth(200, "CSRF token"));
        }
        unset req.http.Cookie;
        if (req_top.http.X-Csrftoken) {
            set req.http.Cookie = "csrftoken=" + req_top.http.X-Csrftoken;
        }
        return (pass);
    }

    # Hashed static files: the same for everyone, cookies or not.
    if (req.url ~ "^/static/") {
        unset req.http.Cookie;
        return (hash);
    }

    # Never from the cache: the admin, accounts, the app's own /-/ endpoints,
    # anything signed in.
    if (req.url ~ "^/(admin|django-admin|accounts|-)/" || req.http.Authorization) {
        return (pass);
    }
    if (req.http.Cookie) {
        cookie.parse(req.http.Cookie);
        if (cookie.isset("sessionid") || cookie.isset("messages")) {
            return (pass);
        }
        # Kept aside for the CSRF fragments; a malformed secret is dropped
        # (Django would replace it with a cookie that an ESI fragment cannot set).
        if (cookie.get("csrftoken") ~ "^[a-zA-Z0-9]{32}$") {
            set req.http.X-Csrftoken = cookie.get("csrftoken");
        }
        # Nothing else a cookie carries (analytics, preferences) changes a
        # shared page.
        unset req.http.Cookie;
    }
    set req.http.Accept-Language = languages.filter(req.http.Accept-Language);
    # The app renders `{% csrf_token %}` as an ESI include for Varnish.
    set req.http.Surrogate-Capability = {"varnish="ESI/1.0""};
    if (req.http.X-Fresh-Only) {
        # Restarted by vcl_hit after a purge: no stale copy, wait for the fetch.
        set req.grace = 0s;
    }
    return (hash);
}

sub remember_purge {
    # When the latest purge came: a fetch that began before it may carry what
    # the purge dropped (vcl_backend_response).
    var.global_set("purged-at", "" + std.real(time = now));
}

sub vcl_hit {
    if (req.method == "PURGE") {
        set req.http.X-Purged = purge.soft(0s);
        return (synth(200, "Purged " + req.http.X-Purged));
    }
    # A stale copy: after its s-maxage ran out it may be served while a
    # background fetch refreshes it (stale-while-revalidate). A copy that was
    # purged is different: the next visitor must see the change, so ask again
    # without grace; visitors arriving meanwhile wait for that one fetch
    # (request coalescing), so a purge never sends a crowd to gunicorn.
    if (obj.ttl <= 0s && obj.http.X-Ttl
            && obj.age < std.duration(obj.http.X-Ttl + "s", 0s)) {
        set req.http.X-Fresh-Only = "1";
        return (restart);
    }
}

sub vcl_miss {
    if (req.method == "PURGE") {
        set req.http.X-Purged = purge.soft(0s);
        return (synth(200, "Purged " + req.http.X-Purged));
    }
    set req.http.X-Cache-State = "MISS";
}

sub vcl_pass {
    set req.http.X-Cache-State = "PASS";
}

sub vcl_backend_fetch {
    var.set_real("fetch-start", std.real(time = now));
    # Internal bookkeeping stays in Varnish.
    unset bereq.http.X-Csrftoken;
    unset bereq.http.X-Csrf-Page-Url;
    unset bereq.http.X-Csrf-Set-Cookie;
    unset bereq.http.X-Fresh-Only;
    unset bereq.http.X-Cache-State;
}

sub vcl_backend_response {
    if (beresp.http.Surrogate-Control ~ "ESI/1\.0") {
        unset beresp.http.Surrogate-Control;
        set beresp.do_esi = true;
        # Delivery gives a visitor without a CSRF secret one (vcl_deliver).
        set beresp.http.X-Csrf-Esi = "1";
    }
    if (beresp.http.Content-Type ~ "(?i)^(text/|application/(json|javascript|xml|[a-z.+-]*\+(json|xml))|image/svg)"
            && !beresp.http.Content-Encoding) {
        set beresp.do_gzip = true;
    }
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        # A refresh that fails keeps the stale copy.
        return (abandon);
    }
    if (bereq.url ~ "^/static/" && bereq.url ~ "\.[0-9a-f]{12}\.[a-zA-Z0-9]+(\?.*)?$"
            && beresp.status == 200) {
        # Hashed file names (ManifestStaticFilesStorage): the name changes with
        # the content.
        unset beresp.http.Set-Cookie;
        set beresp.ttl = 365d;
        set beresp.http.Cache-Control = "public, max-age=31536000, immutable";
        return (deliver);
    }
    # Only what the app calls shared: s-maxage, no cookie, nothing private.
    if (beresp.http.Set-Cookie
            || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
            || beresp.http.Cache-Control !~ "(?i)s-maxage="
            || beresp.http.Vary == "*") {
        # Hit-for-miss: the next requests go to the app, and a later public
        # answer is stored again.
        set beresp.ttl = 30s;
        set beresp.grace = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # beresp.ttl comes from s-maxage and beresp.grace from
    # stale-while-revalidate; without it, a short grace still covers a refresh.
    if (beresp.http.Cache-Control !~ "(?i)stale-while-revalidate=") {
        set beresp.grace = 30s;
    }
    # A fetch that began before the latest purge may have read the data before
    # the change that purge announced, and a purge only reaches objects already
    # stored: keep such a copy one second, not s-maxage, and never serve it
    # stale.
    if (var.get_real("fetch-start") <= std.real(var.global_get("purged-at"), 0.0)) {
        set beresp.ttl = 1s;
        set beresp.grace = 0s;
    }
    # Kept after grace for conditional requests (ETag/Last-Modified).
    set beresp.keep = 10m;
    # How long the copy was fresh for: vcl_hit tells a purge from an expiry.
    set beresp.http.X-Ttl = regsub("" + beresp.ttl, "\..*$", "");
    return (deliver);
}

sub vcl_backend_error {
    # A background refresh that fails keeps the stale copy (no error cached).
    if (bereq.is_bgfetch) {
        return (abandon);
    }
}

sub vcl_deliver {
    # A CSRF secret for a visitor who has none, before a page with a form is
    # delivered: the page's ESI fragment then renders a token for that secret
    # and the secret goes out as the cookie. The secret is made by Django
    # (/-/csrf-secret/, never cached, reachable only from here).
    if (req.esi_level == 0 && resp.http.X-Csrf-Esi && !req.http.X-Csrftoken
            && !req.http.X-Csrf-Secret-Step) {
        set req.http.X-Csrf-Secret-Step = "fetch";
        set req.http.X-Csrf-Page-Url = req.url;
        set req.url = "/-/csrf-secret/";
        return (restart);
    }
    if (req.http.X-Csrf-Secret-Step == "fetch") {
        set req.http.X-Csrf-Secret-Step = "done";
        set req.url = req.http.X-Csrf-Page-Url;
        if (resp.status == 200 && resp.http.X-Csrf-Secret ~ "^[a-zA-Z0-9]{32}$") {
            set req.http.X-Csrftoken = resp.http.X-Csrf-Secret;
            set req.http.X-Csrf-Set-Cookie = resp.http.X-Csrf-Set-Cookie;
        }
        return (restart);
    }
    if (req.esi_level == 0 && resp.http.X-Csrf-Esi) {
        # The body holds this visitor's token: no shared cache downstream, and
        # no validator (a 304 would keep a page whose token may be outdated).
        set resp.http.Cache-Control = "private, no-cache";
        unset resp.http.ETag;
        unset resp.http.Last-Modified;
        if (req.http.X-Csrf-Set-Cookie) {
            set resp.http.Set-Cookie = req.http.X-Csrf-Set-Cookie;
        }
    }

    if (req.http.X-Cache-State) {
        set resp.http.X-Cache = req.http.X-Cache-State;
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.xkey;
    unset resp.http.X-Ttl;
    unset resp.http.X-Csrf-Esi;
    unset resp.http.X-Varnish;
    unset resp.http.Via;
}

sub vcl_synth {
    # The CSRF token fragment of a page, for a visitor who has a secret: the
    # hidden input Django's {% csrf_token %} renders, with the secret itself as
    # the value. Django's CsrfViewMiddleware accepts the 32-character unmasked
    # secret as the form token (as it does for X-CSRFToken read from the
    # cookie); the secret was checked against ^[a-zA-Z0-9]{32}$ in vcl_recv, so
    # nothing else reaches the markup. A synthetic response is never stored,
    # and it is made from this visitor's own request (req_top).
    #
    # Django masks tokens to defeat BREACH, which guesses a secret from the
    # compressed size of pages that also reflect the attacker's input. Here no
    # compressor ever sees the secret next to other bytes: a page is gzipped
    # once, when it is fetched for the cache (by the app or here), holding no
    # token (only the include); this fragment is not gzipped, and Varnish
    # splices it into a gzipped page as stored (uncompressed) deflate blocks;
    # a client without gzip gets no compression at all. So the size of a
    # response never depends on how the secret compares with anything else on
    # the page. Besides, the pages with a token (contact, events) reflect no
    # request input (tests/edge). The TLS terminator must not compress
    # responses itself (docs/deployment.md, "Security").
    if (req.esi_level > 0 && resp.reason == "CSRF token") {
        set resp.http.Content-Type = "text/html; charset=utf-8";
        set resp.http.Cache-Control = "private, no-store";
        set resp.body = {"<input type="hidden" name="csrfmiddlewaretoken" value=""}
            + req_top.http.X-Csrftoken + {"">"};
        return (deliver);
    }
    if (req.method == "PURGE") {
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        set resp.body = resp.reason + {"
"};
        return (deliver);
    }
}
