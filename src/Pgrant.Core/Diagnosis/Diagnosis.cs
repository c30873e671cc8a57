using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Diagnosis;

/// <summary>A role that may run the fix, and why it may (superuser, owner, grant option, admin option, createrole).</summary>
/// <param name="Name">The role's name.</param>
/// <param name="Via">Why it may run the fix, in words ("superuser", "owner", "grant option" …).</param>
public sealed record FixerRole(string Name, string Via)
{
    /// <summary>"name (via)".</summary>
    public override string ToString() => $"{Name} ({Via})";
}

/// <summary>What a <see cref="MissingPrivilege"/> is: an ACL privilege, ownership, or the right to become a role.</summary>
public enum Requirement
{
    /// <summary>A privilege of an ACL (<see cref="MissingPrivilege.Privilege"/>).</summary>
    Privilege,
    /// <summary>Being the owner (or having its privileges): no GRANT gives it.</summary>
    Ownership,
    /// <summary>SET ROLE to a role: membership (with the SET option on 16+).</summary>
    SetRole,
    /// <summary>A role attribute (CREATEDB, CREATEROLE, REPLICATION, BYPASSRLS; <see cref="MissingPrivilege.Attribute"/>): only ALTER ROLE gives it.</summary>
    Attribute,
    /// <summary>The privileges of a role through membership (a predefined role, a grantor, the owner of objects).</summary>
    Membership,
    /// <summary>The ADMIN option on a role: to grant or revoke membership in it.</summary>
    AdminOption,
    /// <summary>Being a superuser: nothing else allows it.</summary>
    Superuser,
}

/// <summary>
/// One thing the role lacks: a privilege (<see cref="Privilege"/>, one or more bits), ownership, or
/// SET ROLE; on what (<see cref="Kind"/>, <see cref="Object"/> as SQL writes it, columns included when
/// only some are missing); and why it is needed.
/// </summary>
/// <param name="What">What is missing: a privilege, ownership, or SET ROLE.</param>
/// <param name="Privilege">The missing privilege bits, for <see cref="Requirement.Privilege"/>.</param>
/// <param name="Kind">The kind of the object it is missing on.</param>
/// <param name="Object">The object as SQL writes it, columns included when only some are missing.</param>
/// <param name="Reason">Why the statement needs it, in words.</param>
public sealed record MissingPrivilege(Requirement What, Privilege Privilege, ObjectKind Kind, string Object, string Reason)
{
    /// <summary>A missing ACL privilege.</summary>
    public static MissingPrivilege Of(Privilege privilege, ObjectKind kind, string obj, string reason) =>
        new(Requirement.Privilege, privilege, kind, obj, reason);

    /// <summary>The attribute's keyword (CREATEDB …), for <see cref="Requirement.Attribute"/>.</summary>
    public string? Attribute { get; init; }

    /// <summary>The privilege's SQL name(s), or OWNERSHIP, SET, the attribute, MEMBERSHIP, ADMIN OPTION or SUPERUSER.</summary>
    public string Name => What switch
    {
        Requirement.Ownership => "OWNERSHIP",
        Requirement.SetRole => "SET",
        Requirement.Attribute => Attribute ?? "ATTRIBUTE",
        Requirement.Membership => "MEMBERSHIP",
        Requirement.AdminOption => "ADMIN OPTION",
        Requirement.Superuser => "SUPERUSER",
        _ => SqlWriter.PrivilegeList(Privilege),
    };

    /// <summary>The kind as people read it ("sequence", "materialized view").</summary>
    public string KindWord => KindWords.Singular(Kind);
}

/// <summary>
/// Another way to get the work done that changes how the role does it (call a function instead of running
/// the command, run it as another role): narrower than a broad fix, but not a fix of the statement as it is.
/// Shown, never applied by <c>--apply</c>.
/// </summary>
/// <param name="Title">What the option is, in a few words ("a SECURITY DEFINER function that refreshes it").</param>
/// <param name="Statements">The statements that set it up, in the order they run.</param>
/// <param name="Effect">What the role can do afterwards, and how it does it.</param>
public sealed record FixOption(string Title, ImmutableArray<SqlStatement> Statements, string Effect);

/// <summary>
/// A fix that works but hands over far more than the error needs (membership in an object's owner, in the
/// role of a SET ROLE): never offered as the least-privilege fix, always with what it hands over, and applied
/// only when asked for explicitly (<c>--allow-broad</c>, or <c>allowBroad</c> in a library).
/// </summary>
/// <param name="Statements">The statements, in the order they run.</param>
/// <param name="HandsOver">What the role gains beyond the error's need, in plain words.</param>
/// <param name="CanRun">Roles that may run the statements.</param>
public sealed record BroadFix(ImmutableArray<SqlStatement> Statements, string HandsOver, ImmutableArray<FixerRole> CanRun);

/// <summary>Something the caller could add to sharpen a diagnosis; a front end words it (a flag, a parameter).</summary>
public enum DiagnosisHint
{
    /// <summary>The role holds what is needed now: the error may have come from another role, so diagnose as that one.</summary>
    OtherRole,
    /// <summary>The message alone does not say which privilege the statement needed: give the statement.</summary>
    Statement,
}

/// <summary>
/// The answer to "why did this permission error happen and how do I fix it": what was tried, what is
/// missing and why, the least-privilege fix and the durable one (statement values), who may run the fix,
/// and notes that are not SQL. When <see cref="AlreadyAllowed"/> is true the role holds everything now
/// (fixed since, or another role hit it).
/// </summary>
public sealed record Diagnosis
{
    /// <summary>The object's kind as the message (or the diagnosis) words it: "sequence", "table", "role"…</summary>
    public required string KindWord { get; init; }

    /// <summary>The object's kind, when pgrant models it.</summary>
    public ObjectKind? Kind { get; init; }

    /// <summary>The object as SQL writes it (schema-qualified, quoted); empty when it could not be pinned down.</summary>
    public string Object { get; init; } = "";

    /// <summary>The role the diagnosis is about (the one that hit the error, or the one whose privileges a view uses).</summary>
    public required string Role { get; init; }

    /// <summary>What the role tried, in words.</summary>
    public string Attempted { get; init; } = "";

    /// <summary>Each missing privilege with its reason.</summary>
    public ImmutableArray<MissingPrivilege> Missing { get; init; } = [];

    /// <summary>Why it failed, in plain words.</summary>
    public string Cause { get; init; } = "";

    /// <summary>The least-privilege fix, in the order it runs.</summary>
    public ImmutableArray<SqlStatement> Fix { get; init; } = [];

    /// <summary>Statements that stop the error from coming back (default privileges for the creator, serial → identity).</summary>
    public ImmutableArray<SqlStatement> DurableFix { get; init; } = [];

    /// <summary>Other ways to get the work done that change how the role does it; shown, never applied.</summary>
    public ImmutableArray<FixOption> Alternatives { get; init; } = [];

    /// <summary>A fix that hands over more than the error needs (labelled as such); applied only when asked for explicitly.</summary>
    public BroadFix? Broad { get; init; }

    /// <summary>No GRANT of a privilege, attribute or membership can allow it: only a superuser may (the notes give the real options).</summary>
    public bool SuperuserOnly { get; init; }

    /// <summary>Roles that may run <see cref="Fix"/>.</summary>
    public ImmutableArray<FixerRole> CanFix { get; init; } = [];

    /// <summary>The role holds everything it needs now.</summary>
    public bool AlreadyAllowed { get; init; }

    /// <summary>When the name is ambiguous: the objects it could mean, as SQL writes them.</summary>
    public ImmutableArray<string> Candidates { get; init; } = [];

    /// <summary>Advice, cautions and facts that are not SQL.</summary>
    public ImmutableArray<Note> Notes { get; init; } = [];

    /// <summary>What the caller could add to sharpen the diagnosis.</summary>
    public ImmutableArray<DiagnosisHint> Hints { get; init; } = [];

    /// <summary>
    /// When no role was named and the role explained as (the connected one) holds what is needed: the login roles
    /// that would hit this error, one of which did. Empty otherwise.
    /// </summary>
    public ImmutableArray<string> WouldHit { get; init; } = [];

    /// <summary>
    /// How the statement's needs were found, in one line: from the server's own analysis, or why not (no
    /// statement, offline, the server could not analyse it) and that pgrant read the statement itself.
    /// Empty when no statement was involved.
    /// </summary>
    public string StatementAnalysis { get; init; } = "";

    /// <summary>Whether the server agrees that <see cref="Fix"/> makes the statement pass (or, with no fix, that it passes now); null when not asked.</summary>
    public Verification? Verification { get; init; }

    /// <summary>The diagnosis could not pin the object down (unknown or ambiguous name).</summary>
    public bool Unresolved => Object.Length == 0;
}
