namespace Pgrant.Core;

/// <summary>
/// A failure whose reason the caller can act on: one clear sentence (<see cref="Exception.Message"/>)
/// and, where it helps, what to change (<see cref="Hint"/>). Messages state domain facts (a role, an
/// object, a server answer) and never name a command-line flag: a front end words them for its users.
/// Anything that is not a <see cref="PgrantException"/> is a bug.
/// </summary>
public class PgrantException(string message, string? hint = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>What the caller may change to succeed, or null.</summary>
    public string? Hint { get; } = hint;
}

/// <summary>A role named by the caller does not exist in the cluster that was read.</summary>
public sealed class RoleNotFoundException(string role)
    : PgrantException($"role \"{role}\" does not exist in this cluster", "role names are case-sensitive; list them with \\du in psql")
{
    /// <summary>The name as it was given.</summary>
    public string Role { get; } = role;
}

/// <summary>
/// The server returned something pgrant cannot read (an ACL it cannot parse, a result set that ended
/// early): a defect in pgrant or a server it does not know, never the caller's mistake.
/// </summary>
public sealed class UnexpectedServerDataException(string message, string? hint = null, Exception? inner = null)
    : PgrantException(message, hint, inner);

/// <summary>
/// A name the caller gave fits several objects (<see cref="Candidates"/>, each "kind schema.name"): it must be
/// qualified with its schema, given argument types, or its kind must be named.
/// </summary>
public sealed class AmbiguousObjectException(string name, System.Collections.Immutable.ImmutableArray<string> candidates)
    : PgrantException($"{name} is ambiguous: {string.Join(", ", candidates)}", "qualify the name with its schema, give the argument types, or name its kind")
{
    /// <summary>The name as it was given.</summary>
    public string Name { get; } = name;

    /// <summary>The objects it could mean, as "kind schema.name".</summary>
    public System.Collections.Immutable.ImmutableArray<string> Candidates { get; } = candidates;
}
