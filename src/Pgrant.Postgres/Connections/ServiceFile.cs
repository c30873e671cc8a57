using System.Collections.Immutable;
using System.Text;
using Pgrant.Core;

namespace Pgrant.Postgres.Connections;

/// <summary>
/// libpq's connection service files, read as parseServiceInfo/parseServiceFile do (checked against
/// libpq 15 and 18 with psql): the user file (the servicefile option, else PGSERVICEFILE, else
/// ~/.pg_service.conf when it exists) is consulted first, and when it holds the service the system
/// file (PGSYSCONFDIR/pg_service.conf, else <see cref="DefaultSysConfDir"/>) is not read. A file
/// is `[name]` sections of `key=value` lines; lines are trimmed, `#` comments and empty lines
/// skipped, and nothing around `=` is trimmed: `host = x` names the option "host ", a syntax
/// error. Errors name the file and line and never echo a value (one may be a password).
/// </summary>
public static class ServiceFile
{
    /// <summary>
    /// The sysconfdir of the libpq pgrant stands in for when PGSYSCONFDIR is unset: Debian's and
    /// Ubuntu's (`pg_config --sysconfdir`). Upstream builds use PREFIX/etc; set PGSYSCONFDIR there.
    /// </summary>
    public const string DefaultSysConfDir = "/etc/postgresql-common";

    /// <summary>libpq reads service files with fgets into 1024 bytes; a longer line is an error.</summary>
    private const int LineBuffer = 1024;

    /// <summary>One service's settings in file order; a keyword's first line wins, as in libpq.</summary>
    /// <param name="Name">The service's name (the [section] header).</param>
    /// <param name="Path">The file it was found in.</param>
    /// <param name="Settings">Its key=value lines.</param>
    public sealed record Definition(string Name, string Path, ImmutableArray<Setting> Settings);

    /// <summary>A `key=value` line; <see cref="Value"/> may be a password and is never printed.</summary>
    /// <param name="Keyword">The libpq keyword (host, port, dbname …).</param>
    /// <param name="Value">The value; may be a password.</param>
    /// <param name="Line">Its line number in the file, from 1.</param>
    public sealed record Setting(string Keyword, string Value, int Line)
    {
        /// <summary>The keyword and line only, never the value.</summary>
        public override string ToString() => $"{Keyword} (line {Line})";
    }

    /// <summary>
    /// Finds <paramref name="service"/> as libpq does. <paramref name="serviceFileOption"/> is the
    /// servicefile connection option (libpq after 18; it takes precedence over PGSERVICEFILE).
    /// Throws a one-line <see cref="PgrantException"/> when the service is not defined or a file
    /// consulted cannot be read or parsed.
    /// </summary>
    public static Definition Find(string service, string? serviceFileOption, IConnectionEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(environment);
        var consulted = new List<string>();

        // libpq opens an explicitly named user file without checking that it exists (so a missing
        // one is an error), and ~/.pg_service.conf only when it exists.
        var userFile = serviceFileOption ?? environment.GetVariable("PGSERVICEFILE");
        if (userFile is null && environment.HomeDirectory is { Length: > 0 } home)
        {
            var candidate = Path.Combine(home, ".pg_service.conf");
            if (Exists(candidate)) userFile = candidate;
            else consulted.Add(candidate);
        }
        if (userFile is not null)
        {
            if (Parse(userFile, service) is { } found) return found;
            consulted.Add(userFile);
        }

        // libpq formats "%s/pg_service.conf" with PGSYSCONFDIR as given, even when empty.
        var systemFile = $"{environment.GetVariable("PGSYSCONFDIR") ?? DefaultSysConfDir}/pg_service.conf";
        if (Exists(systemFile))
        {
            if (Parse(systemFile, service) is { } found) return found;
        }
        consulted.Add(systemFile);

        throw new PgrantException($"definition of service \"{service}\" not found",
            $"pgrant looked for a [{service}] section in {string.Join(" and ", consulted)}; " +
            "set PGSERVICEFILE (or servicefile=) or PGSYSCONFDIR to use other files, or check the service name.");
    }

    /// <summary>libpq stat()s the file; anything that exists counts (a directory then holds no service).</summary>
    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    /// <summary>The service's section of one file, or null when the file has no such section.</summary>
    private static Definition? Parse(string path, string service)
    {
        byte[] bytes;
        try
        {
            if (Directory.Exists(path)) return null;
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or ArgumentException)
        {
            throw new PgrantException($"service file \"{path}\" not found",
                "check PGSERVICEFILE or the servicefile option; unset them to use ~/.pg_service.conf.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PgrantException($"could not read service file \"{path}\": {e.Message}", "check the file's permissions.");
        }

        var settings = ImmutableArray.CreateBuilder<Setting>();
        var inService = false;
        var header = "[" + service + "]";
        var lineNumber = 0;
        for (var start = 0; start < bytes.Length;)
        {
            var newline = Array.IndexOf(bytes, (byte)'\n', start);
            var end = newline < 0 ? bytes.Length : newline + 1;
            lineNumber++;
            // fgets keeps the newline: a line of 1022 bytes plus its newline already fills the buffer.
            if (end - start >= LineBuffer - 1)
                throw new PgrantException($"line {lineNumber} too long in service file \"{path}\"",
                    $"libpq reads service file lines of at most {LineBuffer - 2} bytes.");
            var line = Encoding.UTF8.GetString(bytes, start, end - start).Trim(CSpace);
            start = end;

            if (line.Length == 0 || line[0] == '#') continue;
            if (line[0] == '[')
            {
                // The next section ends the wanted one; `[name]` may be followed by anything, as in libpq.
                if (inService) break;
                inService = line.StartsWith(header, StringComparison.Ordinal);
                continue;
            }
            if (!inService) continue;
            settings.Add(ParseSetting(line, path, lineNumber));
        }
        return inService ? new Definition(service, path, settings.ToImmutable()) : null;
    }

    private static Setting ParseSetting(string line, string path, int lineNumber)
    {
        var where = $"service file \"{path}\", line {lineNumber}";
        // libpq built with LDAP (Debian's is) hands lines starting with "ldap" to an LDAP lookup.
        if (line.StartsWith("ldap", StringComparison.Ordinal))
            throw new PgrantException($"LDAP lookups in {where} are not supported by pgrant",
                "put the connection options in the service section as key=value lines.");
        var equals = line.IndexOf('=');
        if (equals < 0)
            throw new PgrantException($"syntax error in {where}",
                "lines of a service section are key=value, e.g. host=db.example.com.");
        var keyword = line[..equals];
        if (keyword == ConnectionKeywords.Service)
            throw new PgrantException($"nested service specifications not supported in {where}",
                "a service section cannot name another service; copy that service's settings instead.");
        if (ConnectionKeywords.IsSupported(keyword) && keyword != ConnectionKeywords.ServiceFile)
            return new Setting(keyword, line[(equals + 1)..], lineNumber);
        if (ConnectionKeywords.IsUnsupported(keyword) || keyword == ConnectionKeywords.ServiceFile)
            throw ConnectionKeywords.NotSupported(keyword, where);
        var trimmed = keyword.Trim(CSpace);
        throw new PgrantException($"syntax error in {where}",
            trimmed != keyword && (ConnectionKeywords.IsSupported(trimmed) || ConnectionKeywords.IsUnsupported(trimmed))
                ? $"remove the blanks around \"=\": libpq reads them as part of the option name (write {trimmed}=…)."
                : "the text before \"=\" is not a libpq connection option. " + ConnectionKeywords.SupportedHint);
    }

    /// <summary>C's isspace in the "C" locale, which libpq uses to trim lines.</summary>
    private static readonly char[] CSpace = [' ', '\t', '\n', '\v', '\f', '\r'];
}
