using System.Collections.Immutable;
using System.Globalization;
using Pgrant.Core;
using K = Pgrant.Postgres.Connections.ConnectionKeywords;

namespace Pgrant.Postgres.Connections;

/// <summary>
/// Turns -h -p -U -d, the PG* environment, ~/.pgpass and libpq's defaults into one
/// <see cref="ConnectionOptions"/>, in libpq's order (checked against psql 15):
/// <list type="number">
/// <item>explicit host, port, user (and password), as psql passes them;</item>
/// <item>the -d value when it is a URI or contains '=': its settings override step 1, exactly as
///   `psql -h a -d "host=b"` connects to b (libpq expands dbname in place, after host/port/user);</item>
/// <item>PG* environment variables for whatever is still unset;</item>
/// <item>defaults: default socket directory or localhost, port 5432, OS user, database = user;</item>
/// <item>no password yet: PGPASSWORD was step 3, then the password file.</item>
/// </list>
/// </summary>
public static class ConnectionResolver
{
    /// <summary>Socket directories libpq is built with: Debian's, then upstream's. `localhost` in .pgpass matches them.</summary>
    public static readonly ImmutableArray<string> DefaultSocketDirectories = ["/var/run/postgresql", "/tmp"];

    public static bool IsDefaultSocketDirectory(string host) => DefaultSocketDirectories.Contains(host);

    public static ConnectionResolution Resolve(ConnectionRequest request, IConnectionEnvironment environment)
    {
        var warnings = ImmutableArray.CreateBuilder<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var passwordSource = PasswordSource.None;

        SetExplicit(values, K.Host, request.Host);
        SetExplicit(values, K.Port, request.Port);
        SetExplicit(values, K.User, request.User);
        if (SetExplicit(values, K.Password, request.Password)) passwordSource = PasswordSource.Explicit;
        if (!string.IsNullOrEmpty(request.Database))
        {
            if (IsConnectionString(request.Database))
            {
                var parsed = ConnectionUriParser.IsUri(request.Database)
                    ? ConnectionUriParser.Parse(request.Database)
                    : ConnInfoParser.Parse(request.Database);
                foreach (var (keyword, value) in parsed)
                {
                    values[keyword] = value;
                    if (keyword == K.Password) passwordSource = PasswordSource.Explicit;
                }
            }
            else values[K.DbName] = request.Database;
        }

        // libpq fills only options that are still unset; an empty value from the connection string counts as set.
        foreach (var (variable, keyword) in K.Environment)
        {
            if (values.ContainsKey(keyword) || environment.GetVariable(variable) is not { Length: > 0 } value) continue;
            values[keyword] = value;
            if (keyword == K.Password) passwordSource = PasswordSource.Environment;
        }
        foreach (var (variable, keyword) in K.IgnoredEnvironment)
            if (environment.GetVariable(variable) is { Length: > 0 })
                warnings.Add($"environment variable {variable} is ignored: pgrant does not support the connection option \"{keyword}\"");

        if (Get(values, K.Host) is { } hosts && hosts.Contains(','))
            throw new PgrantException("multiple hosts are not supported",
                "give a single host (-h, PGHOST, or one host in the URI / host= setting).");
        var port = ParsePort(Get(values, K.Port));
        var host = Get(values, K.Host) ?? DefaultHost(environment, port);
        var user = Get(values, K.User) ?? environment.OsUserName;
        var database = Get(values, K.DbName) ?? user;
        var password = Get(values, K.Password);
        if (password is null) passwordSource = PasswordSource.None;

        var passFile = Get(values, K.PassFile) ?? PassFile.DefaultPath(environment);
        int? passFileLine = null;
        if (password is null && passFile is not null)
        {
            var found = PassFile.Lookup(passFile, host, port, database, user);
            warnings.AddRange(found.Warnings);
            if (found.Password is { Length: > 0 })
                (password, passwordSource, passFileLine) = (found.Password, PasswordSource.PassFile, found.LineNumber);
        }

        var parameters = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var keyword in K.Extra)
            if (Get(values, keyword) is { } value) parameters[keyword] = value;

        var options = new ConnectionOptions
        {
            Host = host,
            Port = port,
            User = user,
            Database = database,
            Password = password,
            PasswordSource = passwordSource,
            PassFile = passFile,
            PassFileLine = passFileLine,
            SslMode = Get(values, K.SslMode) is { } ssl ? SslModes.Parse(ssl) : Npgsql.SslMode.Prefer,
            ApplicationName = Get(values, K.ApplicationName) ?? Get(values, K.FallbackApplicationName) ?? request.FallbackApplicationName,
            ConnectTimeout = ParseConnectTimeout(Get(values, K.ConnectTimeout)),
            Parameters = parameters.ToImmutable(),
        };
        // Validate enumerated extras (channel_binding=…) now, before any network activity.
        _ = options.ToNpgsqlConnectionStringBuilder();
        return new ConnectionResolution(options, warnings.ToImmutable());
    }

    /// <summary>libpq expands a dbname that is a URI or contains '=' (recognized_connection_string).</summary>
    public static bool IsConnectionString(string value) => ConnectionUriParser.IsUri(value) || value.Contains('=');

    private static bool SetExplicit(Dictionary<string, string> values, string keyword, string? value)
    {
        if (string.IsNullOrEmpty(value)) return false;
        values[keyword] = value;
        return true;
    }

    /// <summary>A value that is missing or empty means "use the default", as in libpq.</summary>
    private static string? Get(Dictionary<string, string> values, string keyword) =>
        values.TryGetValue(keyword, out var value) && value.Length > 0 ? value : null;

    /// <summary>
    /// libpq connects to its compiled-in socket directory when no host is given (Debian:
    /// /var/run/postgresql, upstream: /tmp) and to localhost where there are no unix sockets. pgrant
    /// prefers the directory that holds this port's socket, then an existing Debian directory.
    /// </summary>
    private static string DefaultHost(IConnectionEnvironment environment, int port)
    {
        if (OperatingSystem.IsWindows()) return "localhost";
        foreach (var directory in DefaultSocketDirectories)
            if (environment.FileExists(Path.Combine(directory, $".s.PGSQL.{port}"))) return directory;
        return environment.DirectoryExists(DefaultSocketDirectories[0]) ? DefaultSocketDirectories[0] : "localhost";
    }

    private static int ParsePort(string? text)
    {
        if (text is null) return ConnectionOptions.DefaultPort;
        if (text.Contains(','))
            throw new PgrantException("multiple ports are not supported", "give a single port (-p, PGPORT, or one port in the URI / port= setting).");
        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var port))
            throw new PgrantException($"invalid integer value \"{text}\" for connection option \"port\"", "the port is a number, e.g. -p 5432.");
        if (port is < 1 or > 65535)
            throw new PgrantException($"invalid port number: \"{text}\"", "the port is a number from 1 to 65535.");
        return port;
    }

    /// <summary>libpq: whole seconds; 0 or negative waits forever; 1 is raised to 2.</summary>
    private static TimeSpan ParseConnectTimeout(string? text)
    {
        if (text is null) return ConnectionOptions.DefaultConnectTimeout;
        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
            throw new PgrantException($"invalid integer value \"{text}\" for connection option \"connect_timeout\"",
                "connect_timeout is a number of seconds (0 waits forever).");
        return seconds <= 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(Math.Max(seconds, 2));
    }
}
