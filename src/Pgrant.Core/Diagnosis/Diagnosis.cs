using System.Collections.Immutable;

namespace Pgrant.Core.Diagnosis;

/// <summary>A role that may run the fix, and why it may (superuser, owner, grant option, admin option, createrole).</summary>
public sealed record FixerRole(string Name, string Via)
{
    public override string ToString() => $"{Name} ({Via})";
}

/// <summary>One privilege the role lacks: on what, and why it is needed.</summary>
public sealed record MissingPrivilege(string Privilege, string Kind, string Object, string Reason);

/// <summary>
/// The answer to "why did this permission error happen and how do I fix it": what was tried, what
/// is missing and why, the least-privilege fix, who may run it, and the durable fixes. When
/// <see cref="AlreadyAllowed"/> is true the role holds everything now (fixed since, or another role hit it).
/// </summary>
public sealed record Diagnosis(
    string Kind,
    string Object,
    string Role,
    string Attempted,
    ImmutableArray<MissingPrivilege> Missing,
    string Cause,
    ImmutableArray<string> Fix,
    ImmutableArray<string> DurableFix,
    ImmutableArray<FixerRole> CanFix,
    bool AlreadyAllowed,
    ImmutableArray<string> Candidates,
    ImmutableArray<string> Notes)
{
    /// <summary>The diagnosis could not pin the object down (unknown or ambiguous name).</summary>
    public bool Unresolved => Object.Length == 0;
}
