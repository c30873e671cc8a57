namespace Pgrant.Postgres.Connections;

/// <summary>
/// What the user asked for explicitly, like psql's -h -p -U -d. Every field is optional; empty
/// strings count as not given (as libpq treats them). <see cref="Database"/> may be a plain name,
/// a postgres:// URI or a key=value connection string.
/// </summary>
public sealed record ConnectionRequest
{
    /// <summary>psql's -h: host names, IP addresses or socket directories, comma-separated for several.</summary>
    public string? Host { get; init; }
    /// <summary>Text, as typed; validated by the resolver like libpq ("invalid integer value").</summary>
    public string? Port { get; init; }
    /// <summary>psql's -U: the role to connect as.</summary>
    public string? User { get; init; }
    /// <summary>psql's -d: a database name, a postgres:// URI or a key=value connection string.</summary>
    public string? Database { get; init; }
    /// <summary>An explicit password (psql has no such option; for programmatic callers). Never printed.</summary>
    public string? Password { get; init; }
    /// <summary>Used when neither the connection string nor PGAPPNAME names the application (libpq's fallback_application_name).</summary>
    public string FallbackApplicationName { get; init; } = "pgrant";
    /// <summary>psql's -W (Always) and -w (Never); Auto asks only when the server wants a password that was not supplied.</summary>
    public PasswordPromptMode PasswordPrompt { get; init; } = PasswordPromptMode.Auto;

    /// <summary>Never prints the password.</summary>
    public override string ToString() =>
        $"ConnectionRequest {{ Host = {Host}, Port = {Port}, User = {User}, Database = {(Database is null ? null : "(given)")}, PasswordPrompt = {PasswordPrompt} }}";
}

/// <summary>Resolved options plus the warnings libpq would have printed (e.g. an ignored password file, an ignored PG* variable).</summary>
/// <param name="Options">The resolved target.</param>
/// <param name="Warnings">What libpq would have warned about, one sentence each; empty when nothing.</param>
public sealed record ConnectionResolution(ConnectionOptions Options, System.Collections.Immutable.ImmutableArray<string> Warnings);
