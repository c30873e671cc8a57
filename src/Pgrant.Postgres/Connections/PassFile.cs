using System.Collections.Immutable;
using System.Text;

namespace Pgrant.Postgres.Connections;

/// <summary>
/// libpq's password file (~/.pgpass or PGPASSFILE): lines `hostname:port:database:username:password`,
/// `#` comments, a field of exactly `*` matching anything, `\` escaping `:` and `\`. The first
/// matching line wins. On Unix a file readable or writable by group or others is ignored with
/// libpq's warning, as is anything that is not a regular file.
/// </summary>
public static class PassFile
{
    /// <summary>The result of a lookup: the password (or null) and any warnings to show the user.</summary>
    /// <param name="Password">The password of the first matching line, or null.</param>
    /// <param name="LineNumber">That line's number (from 1), or null.</param>
    /// <param name="Warnings">Why the file was ignored (not a plain file, too open, unreadable), as libpq words it; empty when it was read.</param>
    public sealed record LookupResult(string? Password, int? LineNumber, ImmutableArray<string> Warnings);

    /// <summary>Default location: ~/.pgpass on Unix, %APPDATA%\postgresql\pgpass.conf on Windows.</summary>
    public static string? DefaultPath(IConnectionEnvironment environment)
    {
        if (OperatingSystem.IsWindows())
            return environment.GetVariable("APPDATA") is { Length: > 0 } appData
                ? Path.Combine(appData, "postgresql", "pgpass.conf")
                : null;
        return environment.HomeDirectory is { Length: > 0 } home ? Path.Combine(home, ".pgpass") : null;
    }

    /// <summary>
    /// Finds the password for a connection. <paramref name="host"/> is the host as resolved; an empty
    /// host or the default socket directory is looked up as `localhost`, as libpq does.
    /// </summary>
    public static LookupResult Lookup(string path, string host, int port, string database, string user)
    {
        var none = new LookupResult(null, null, []);
        FileInfo info;
        try
        {
            info = new FileInfo(path);
            if (!info.Exists)
                return Directory.Exists(path)
                    ? new LookupResult(null, null, [$"password file \"{path}\" is not a plain file"])
                    : none;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return none;
        }
        if (!OperatingSystem.IsWindows())
        {
            if (info.LinkTarget is not null) info = (FileInfo?)info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
            const UnixFileMode groupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            if ((info.UnixFileMode & groupOrOther) != 0)
                return new LookupResult(null, null,
                    [$"password file \"{path}\" has group or world access; permissions should be u=rw (0600) or less"]);
        }
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new LookupResult(null, null, [$"could not read password file \"{path}\": {e.Message}"]);
        }
        var hostKey = host.Length == 0 || ConnectionResolver.IsDefaultSocketDirectory(host) ? "localhost" : host;
        var portKey = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var n = 0; n < lines.Length; n++)
        {
            var password = Match(lines[n], hostKey, portKey, database, user);
            if (password is not null) return new LookupResult(password, n + 1, []);
        }
        return none;
    }

    /// <summary>The password of one line when its first four fields match, else null.</summary>
    internal static string? Match(string line, string host, string port, string database, string user)
    {
        if (line.Length == 0 || line[0] == '#') return null;
        var position = 0;
        foreach (var wanted in (ReadOnlySpan<string>)[host, port, database, user])
            if (!MatchField(line, ref position, wanted)) return null;
        // The password runs to the end or to the next unescaped ':' (later fields are ignored).
        var password = new StringBuilder();
        for (var i = position; i < line.Length && line[i] != ':'; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length) i++;
            password.Append(line[i]);
        }
        return password.ToString();
    }

    /// <summary>Matches one field starting at <paramref name="position"/> and moves past its ':'.</summary>
    private static bool MatchField(string line, ref int position, string wanted)
    {
        // A field of exactly "*" is a wildcard; "*" inside a longer field is literal.
        if (position + 1 < line.Length && line[position] == '*' && line[position + 1] == ':')
        {
            position += 2;
            return true;
        }
        var value = new StringBuilder();
        var i = position;
        while (i < line.Length && line[i] != ':')
        {
            if (line[i] == '\\' && i + 1 < line.Length) i++;
            value.Append(line[i++]);
        }
        if (i >= line.Length) return false;
        position = i + 1;
        return value.ToString() == wanted;
    }
}
