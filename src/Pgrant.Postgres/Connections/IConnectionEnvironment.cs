using System.Collections.Immutable;

namespace Pgrant.Postgres.Connections;

/// <summary>
/// Everything outside the command line that libpq consults when it connects: environment variables,
/// the home directory (for ~/.pgpass), the OS user name (default role) and whether a default socket
/// directory exists. Injected so resolution is testable without touching the real process state.
/// </summary>
public interface IConnectionEnvironment
{
    /// <summary>The variable's value, or null when unset.</summary>
    string? GetVariable(string name);

    /// <summary>The home directory libpq would use ($HOME, else the password database), or null.</summary>
    string? HomeDirectory { get; }

    /// <summary>The operating-system user name; libpq's default for the role name.</summary>
    string OsUserName { get; }

    /// <summary>Whether a directory exists (used to choose the default unix socket directory).</summary>
    bool DirectoryExists(string path);

    /// <summary>Whether a file (or socket) exists (used to find a running server's socket).</summary>
    bool FileExists(string path);
}

/// <summary>The real process environment.</summary>
public sealed class SystemConnectionEnvironment : IConnectionEnvironment
{
    /// <summary>The one instance: there is one process environment.</summary>
    public static SystemConnectionEnvironment Instance { get; } = new();

    private SystemConnectionEnvironment() { }

    /// <inheritdoc/>
    public string? GetVariable(string name) => Environment.GetEnvironmentVariable(name);

    // GetFolderPath(UserProfile) reads $HOME first and falls back to the password database, as libpq does.
    /// <inheritdoc/>
    public string? HomeDirectory =>
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home ? home : null;

    /// <inheritdoc/>
    public string OsUserName => Environment.UserName;

    /// <inheritdoc/>
    public bool DirectoryExists(string path) => Directory.Exists(path);

    /// <inheritdoc/>
    public bool FileExists(string path) => File.Exists(path);
}

/// <summary>
/// A fixed environment: given variables, home directory, OS user and the set of paths that exist.
/// For tests and for callers (clusters, demos) that must not be influenced by the caller's PG* variables.
/// </summary>
/// <param name="variables">The environment variables, by name; null for none.</param>
/// <param name="homeDirectory">The home directory, or null for none.</param>
/// <param name="osUserName">The operating-system user name.</param>
/// <param name="existingPaths">The paths that exist (files and directories alike); null for none.</param>
public sealed class StaticConnectionEnvironment(
    IReadOnlyDictionary<string, string>? variables = null,
    string? homeDirectory = null,
    string osUserName = "postgres",
    IEnumerable<string>? existingPaths = null) : IConnectionEnvironment
{
    private readonly ImmutableDictionary<string, string> variables =
        (variables ?? ImmutableDictionary<string, string>.Empty).ToImmutableDictionary(StringComparer.Ordinal);
    private readonly ImmutableHashSet<string> paths = (existingPaths ?? []).ToImmutableHashSet(StringComparer.Ordinal);

    /// <inheritdoc/>
    public string? GetVariable(string name) => variables.GetValueOrDefault(name);

    /// <inheritdoc/>
    public string? HomeDirectory { get; } = homeDirectory;

    /// <inheritdoc/>
    public string OsUserName { get; } = osUserName;

    /// <summary>Whether <paramref name="path"/> is one of the existing paths given (files and directories alike).</summary>
    public bool DirectoryExists(string path) => paths.Contains(path);

    /// <summary>Whether <paramref name="path"/> is one of the existing paths given (files and directories alike).</summary>
    public bool FileExists(string path) => paths.Contains(path);
}
