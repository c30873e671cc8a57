namespace Pgrant.Postgres.Connections;

/// <summary>When to ask the user for a password, as psql's -W / -w do.</summary>
public enum PasswordPromptMode
{
    /// <summary>psql's default: connect, and only when the server asks for a password that was not supplied, ask once and retry.</summary>
    Auto,
    /// <summary>-w / --no-password: never ask; a server that wants a password fails the connection.</summary>
    Never,
    /// <summary>-W / --password: ask before the first attempt.</summary>
    Always,
}

/// <summary>Asks the user for a password (a terminal, standard input, a dialog).</summary>
public interface IPasswordPrompt
{
    /// <summary>
    /// Shows <paramref name="prompt"/> (e.g. `Password for user sdc: `) and returns what the user
    /// typed, or null when this prompt cannot ask. An implementation that can ask but gets no answer
    /// (end of input) throws a <see cref="Pgrant.Core.PgrantException"/>.
    /// </summary>
    ValueTask<string?> ReadPasswordAsync(string prompt, CancellationToken ct);
}
