using System.Collections.Immutable;
using System.Globalization;
using Pgrant.Core;
using K = Pgrant.Postgres.Connections.ConnectionKeywords;

namespace Pgrant.Postgres.Connections;

/// <summary>
/// Turns -h -p -U -d, a service file, the PG* environment, ~/.pgpass and libpq's defaults into one
/// <see cref="ConnectionOptions"/>, in libpq's order (conninfo_array_parse, then
/// conninfo_add_defaults; checked against psql 15 with libpq 15 and 18):
/// <list type="number">
/// <item>explicit host, port, user (and password), as psql passes them;</item>
/// <item>the -d value when it is a URI or contains '=': its settings override step 1, exactly as
///   `psql -h a -d "host=b"` connects to b (libpq expands dbname in place, after host/port/user);</item>
/// <item>the service (service= from step 2, else PGSERVICE) fills what is still unset;</item>
/// <item>PG* environment variables fill what is still unset; PGREQUIRESSL=1 means sslmode=require;</item>
/// <item>defaults: default socket directory or localhost, port 5432, OS user, database = user;</item>
/// <item>no password yet: the password file, per host.</item>
/// </list>
/// A setting pgrant cannot honour is an error, never a silent connection to another server.
/// </summary>
public static class ConnectionResolver
{
    /// <summary>Socket directories libpq is built with: Debian's, then upstream's. `localhost` in .pgpass matches them.</summary>
    public static readonly ImmutableArray<string> DefaultSocketDirectories = ["/var/run/postgresql", "/tmp"];

    /// <summary>Whether <paramref name="host"/> is one of <see cref="DefaultSocketDirectories"/>.</summary>
    public static bool IsDefaultSocketDirectory(string host) => DefaultSocketDirectories.Contains(host);

    /// <summary>The connection target libpq would use for <paramref name="request"/> in <paramref name="environment"/>, with its warnings.</summary>
    /// <exception cref="PgrantException">A setting is invalid (a port that is no number, hosts and ports that do not pair up),
    /// pgrant cannot honour it, or a service or password file cannot be used.</exception>
    public static ConnectionResolution Resolve(ConnectionRequest request, IConnectionEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(environment);
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

        // Refused before anything else: no file is read for a connection that must not happen.
        foreach (var (variable, keyword) in K.RefusedEnvironment)
            if (environment.GetVariable(variable) is { Length: > 0 } value && K.IsRefused(variable, value))
                throw new PgrantException($"environment variable {variable} is set, but pgrant does not support the connection option \"{keyword}\"",
                    $"unset {variable}: it changes which server is reached or how securely, so pgrant will not connect without honouring it.");

        // libpq: the service named in the connection string, else PGSERVICE (set but empty counts:
        // libpq then looks for a service "" and fails). Its settings fill only what is still unset.
        var serviceName = values.GetValueOrDefault(K.Service) ?? environment.GetVariable("PGSERVICE");
        var serviceFileOption = values.GetValueOrDefault(K.ServiceFile);
        values.Remove(K.Service);
        values.Remove(K.ServiceFile);
        ServiceFile.Definition? service = null;
        if (serviceName is not null)
        {
            service = ServiceFile.Find(serviceName, serviceFileOption, environment);
            foreach (var setting in service.Settings)
            {
                if (!values.TryAdd(setting.Keyword, setting.Value)) continue;
                if (setting.Keyword == K.Password) passwordSource = PasswordSource.ServiceFile;
            }
        }

        // libpq fills only options that are still unset; an empty value from the connection string counts as set.
        foreach (var (variable, keyword) in K.Environment)
        {
            if (values.ContainsKey(keyword) || environment.GetVariable(variable) is not { Length: > 0 } value) continue;
            values[keyword] = value;
            if (keyword == K.Password) passwordSource = PasswordSource.Environment;
        }
        // The deprecated PGREQUIRESSL: a value starting with 1 means sslmode=require, unless sslmode is set.
        if (!values.ContainsKey(K.SslMode) && environment.GetVariable("PGREQUIRESSL") is { } requireSsl && requireSsl.StartsWith('1'))
            values[K.SslMode] = "require";
        foreach (var (variable, keyword) in K.IgnoredEnvironment)
            if (environment.GetVariable(variable) is { Length: > 0 })
                warnings.Add($"environment variable {variable} is ignored: pgrant does not support the connection option \"{keyword}\"");

        var hosts = ResolveHosts(Get(values, K.Host), Get(values, K.Port), environment);
        var (host, port) = (hosts[0].Host, hosts[0].Port);
        var user = Get(values, K.User) ?? environment.OsUserName;
        var database = Get(values, K.DbName) ?? user;
        var password = Get(values, K.Password);
        if (password is null) passwordSource = PasswordSource.None;

        var passFile = Get(values, K.PassFile) ?? PassFile.DefaultPath(environment);
        int? passFileLine = null;
        if (password is null && passFile is not null)
        {
            // libpq looks the password up per host. With one host pgrant resolves it now; with several
            // it checks the file now (warnings) and Npgsql asks per host while connecting (NpgsqlSettings).
            foreach (var target in hosts)
            {
                var found = PassFile.Lookup(passFile, target.Host, target.Port, database, user);
                foreach (var warning in found.Warnings)
                    if (!warnings.Contains(warning)) warnings.Add(warning);
                if (found.Password is not { Length: > 0 }) continue;
                passwordSource = PasswordSource.PassFile;
                if (hosts.Length == 1) (password, passFileLine) = (found.Password, found.LineNumber);
            }
        }

        var parameters = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var keyword in K.Extra)
            if (Get(values, keyword) is { } value) parameters[keyword] = value;

        var options = new ConnectionOptions
        {
            Host = host,
            Port = port,
            Hosts = hosts,
            User = user,
            Database = database,
            Password = password,
            PasswordSource = passwordSource,
            PassFile = passFile,
            PassFileLine = passFileLine,
            SslMode = Get(values, K.SslMode) is { } ssl ? SslModes.Parse(ssl) : Npgsql.SslMode.Prefer,
            ApplicationName = Get(values, K.ApplicationName) ?? Get(values, K.FallbackApplicationName) ?? request.FallbackApplicationName,
            ConnectTimeout = ParseConnectTimeout(Get(values, K.ConnectTimeout)),
            TargetSessionAttributes = Get(values, K.TargetSessionAttrs) is { } attrs ? SessionAttributes.Parse(attrs) : Npgsql.TargetSessionAttributes.Any,
            LoadBalanceHosts = Get(values, K.LoadBalanceHosts) is { } balance && SessionAttributes.ParseLoadBalance(balance),
            PasswordPrompt = request.PasswordPrompt,
            Service = service?.Name,
            ServiceFile = service?.Path,
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
    /// libpq's host and port lists (connectOptions2): hosts are comma-separated, an empty one meaning
    /// the default; ports are one for every host or one per host, an empty one meaning 5432 (not
    /// PGPORT, which only applies when no port is given at all).
    /// </summary>
    private static ImmutableArray<ConnectionHost> ResolveHosts(string? hostText, string? portText, IConnectionEnvironment environment)
    {
        var names = hostText?.Split(',') ?? [""];
        var ports = portText?.Split(',') ?? [""];
        if (ports.Length != 1 && ports.Length != names.Length)
            throw new PgrantException($"could not match {ports.Length} port numbers to {names.Length} hosts",
                "give one port for every host, or one port per host in the same order (e.g. host=db1,db2 port=5432,5433).");
        var hosts = ImmutableArray.CreateBuilder<ConnectionHost>(names.Length);
        for (var i = 0; i < names.Length; i++)
        {
            var port = ParsePort(ports[ports.Length == 1 ? 0 : i]);
            hosts.Add(new ConnectionHost(names[i].Length > 0 ? names[i] : DefaultHost(environment, port), port));
        }
        return hosts.MoveToImmutable();
    }

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

    private static int ParsePort(string text)
    {
        if (text.Length == 0) return ConnectionOptions.DefaultPort;
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
