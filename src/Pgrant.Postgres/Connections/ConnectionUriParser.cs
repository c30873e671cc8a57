using System.Collections.Immutable;
using System.Text;
using Pgrant.Core;

namespace Pgrant.Postgres.Connections;

/// <summary>
/// Parses a `postgres://` / `postgresql://` URI as libpq's conninfo_uri_parse_options does:
/// `scheme://[user[:password]@][host][:port][/dbname][?key=value&amp;…]`, every part percent-decoded,
/// `[…]` for IPv6 hosts, `ssl=true` meaning `sslmode=require`. Errors never echo the URI or the
/// password, only the part at fault.
/// </summary>
internal static class ConnectionUriParser
{
    private static readonly string[] Prefixes = ["postgresql://", "postgres://"];

    public static bool IsUri(string text) => PrefixLength(text) > 0;

    private static int PrefixLength(string text) =>
        Prefixes.FirstOrDefault(p => text.StartsWith(p, StringComparison.Ordinal))?.Length ?? 0;

    public static ImmutableArray<KeyValuePair<string, string>> Parse(string uri)
    {
        var start = PrefixLength(uri);
        if (start == 0) throw new ArgumentException("not a postgres:// URI", nameof(uri));
        var result = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();

        // User credentials exist only when an '@' comes before the first '/'.
        var p = start;
        while (p < uri.Length && uri[p] != '@' && uri[p] != '/') p++;
        if (p < uri.Length && uri[p] == '@')
        {
            var userInfo = uri[start..p];
            var colon = userInfo.IndexOf(':');
            var user = colon < 0 ? userInfo : userInfo[..colon];
            if (user.Length > 0) result.Add(new(ConnectionKeywords.User, Decode(user, "the user name")));
            if (colon >= 0 && colon + 1 < userInfo.Length)
                result.Add(new(ConnectionKeywords.Password, Decode(userInfo[(colon + 1)..], "the password")));
            p++;
        }
        else p = start;

        var hosts = new List<string>();
        var ports = new List<string>();
        char terminator;
        while (true)
        {
            string host;
            if (p < uri.Length && uri[p] == '[')
            {
                var close = uri.IndexOf(']', p + 1);
                if (close < 0)
                    throw UriError("the URI has \"[\" without a matching \"]\" around an IPv6 host address");
                if (close == p + 1) throw UriError("the IPv6 host address in the URI is empty");
                host = uri[(p + 1)..close];
                p = close + 1;
                if (p < uri.Length && uri[p] is not (':' or '/' or '?' or ','))
                    throw UriError($"unexpected character \"{uri[p]}\" at position {p + 1} in the URI (expected \":\" or \"/\" after \"]\")");
            }
            else
            {
                var hostStart = p;
                while (p < uri.Length && uri[p] is not (':' or '/' or '?' or ',')) p++;
                host = uri[hostStart..p];
            }
            hosts.Add(host);
            terminator = p < uri.Length ? uri[p] : '\0';
            var port = "";
            if (terminator == ':')
            {
                var portStart = ++p;
                while (p < uri.Length && uri[p] is not ('/' or '?' or ',')) p++;
                port = uri[portStart..p];
                terminator = p < uri.Length ? uri[p] : '\0';
            }
            ports.Add(port);
            if (terminator != ',') break;
            p++;
        }
        // Hosts and ports are kept comma-joined, one port per host, as libpq does: `a:5433,b` is port
        // "5433," (b gets 5432, not PGPORT), and `a,b` is port "," (both 5432). The resolver splits them.
        var hostText = string.Join(',', hosts);
        var portText = string.Join(',', ports);
        if (hostText.Length > 0) result.Add(new(ConnectionKeywords.Host, Decode(hostText, "the host")));
        if (portText.Length > 0) result.Add(new(ConnectionKeywords.Port, Decode(portText, "the port")));

        if (terminator == '/')
        {
            var dbStart = ++p;
            while (p < uri.Length && uri[p] != '?') p++;
            // An empty path sets nothing, so PGDATABASE still applies (libpq does the same).
            if (p > dbStart) result.Add(new(ConnectionKeywords.DbName, Decode(uri[dbStart..p], "the database name")));
            terminator = p < uri.Length ? uri[p] : '\0';
        }
        if (terminator == '?') ParseQuery(uri[(p + 1)..], result);
        return result.ToImmutable();
    }

    private static void ParseQuery(string query, ImmutableArray<KeyValuePair<string, string>>.Builder result)
    {
        var pairs = query.Split('&');
        for (var n = 0; n < pairs.Length; n++)
        {
            var pair = pairs[n];
            // Like libpq, a trailing '&' (or an empty query) ends the list without an error.
            if (pair.Length == 0 && n == pairs.Length - 1) break;
            var eq = pair.IndexOf('=');
            // The text of a malformed pair is not echoed: it may be a mistyped password.
            if (eq < 0)
                throw UriError($"missing key/value separator \"=\" in URI query parameter number {n + 1}");
            var keyword = Decode(pair[..eq], "a URI query parameter name");
            if (pair.IndexOf('=', eq + 1) >= 0)
                throw UriError($"extra key/value separator \"=\" in URI query parameter \"{keyword}\"");
            var value = Decode(pair[(eq + 1)..], keyword == ConnectionKeywords.Password ? "the password" : $"the value of \"{keyword}\"");
            // libpq's JDBC compatibility: ssl=true means sslmode=require.
            if (keyword == "ssl" && value == "true") (keyword, value) = (ConnectionKeywords.SslMode, "require");
            ConnectionKeywords.Validate(keyword, "the URI query");
            result.Add(new(keyword, value));
        }
    }

    /// <summary>libpq's percent-decoding: %XX only, %00 forbidden, '+' is a plus; bytes are UTF-8.</summary>
    internal static string Decode(string text, string what)
    {
        if (!text.Contains('%')) return text;
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '%')
            {
                // Copy the whole run up to the next '%' so surrogate pairs stay together.
                var next = text.IndexOf('%', i);
                var end = next < 0 ? text.Length : next;
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i..end]));
                i = end - 1;
                continue;
            }
            if (i + 2 >= text.Length || !IsHex(text[i + 1]) || !IsHex(text[i + 2]))
                throw UriError($"invalid percent-encoded token in {what} in the URI (expected % followed by two hex digits)");
            var b = Convert.ToByte(text.Substring(i + 1, 2), 16);
            if (b == 0) throw UriError($"forbidden value %00 in {what} in the URI");
            bytes.Add(b);
            i += 2;
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            throw UriError($"percent-encoded bytes in {what} in the URI are not valid UTF-8");
        }
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static PgrantException UriError(string message) =>
        new(message, "URIs look like postgres://user:password@host:5432/dbname?sslmode=require; percent-encode special characters (@ as %40, / as %2F, : as %3A).");
}
