using System.Collections.Immutable;
using Pgrant.Core.Access;
using Pgrant.Core.Acl;

namespace Pgrant.Core.Diagnosis;

/// <summary>
/// One relation the server will check when the statement starts (an RTEPERMISSIONINFO on 16+, a range
/// table entry on 13–15): the privileges it requires and the columns they are checked on, and as whom.
/// The server grants a bit when the role holds it on the table, or on every column of its column set
/// (on at least one column when the set is empty; on every column when <see cref="WholeRow"/>).
/// </summary>
/// <param name="Oid">The relation's OID.</param>
/// <param name="Schema">The name of its schema.</param>
/// <param name="Name">Its name.</param>
/// <param name="Required">requiredPerms: the privilege bits checked (INSERT, SELECT, UPDATE, DELETE …).</param>
/// <param name="CheckAs">checkAsUser: the role the check runs as when it is not the statement's own role
/// (a view's owner for the view's base relations), else null.</param>
/// <param name="Selected">The columns SELECT is checked on (read by the statement).</param>
/// <param name="Inserted">The columns INSERT is checked on.</param>
/// <param name="Updated">The columns UPDATE is checked on.</param>
/// <param name="WholeRow">The statement reads the whole row (a row reference): SELECT on every column.</param>
/// <param name="NamedInStatement">The statement names it itself (its schema is looked up, so USAGE on it is checked);
/// false for relations reached only through a view.</param>
public sealed record RelationCheck(
    uint Oid, string Schema, string Name, Privilege Required, string? CheckAs,
    ImmutableArray<string> Selected, ImmutableArray<string> Inserted, ImmutableArray<string> Updated,
    bool WholeRow, bool NamedInStatement);

/// <summary>A routine the statement calls (a function, an operator's function, an aggregate, a window function): EXECUTE is checked as the statement's role.</summary>
/// <param name="Oid">The routine's OID.</param>
/// <param name="Schema">The name of its schema.</param>
/// <param name="Name">Its name.</param>
/// <param name="IdentityArguments">Its argument types, as pg_get_function_identity_arguments prints them.</param>
/// <param name="NamedInStatement">The statement names it itself (USAGE on its schema is checked).</param>
public sealed record FunctionCall(uint Oid, string Schema, string Name, string IdentityArguments, bool NamedInStatement);

/// <summary>A sequence function the statement (or a column default it fires) calls on a known sequence; its privilege is checked when it runs, as the statement's role.</summary>
/// <param name="Oid">The sequence's OID.</param>
/// <param name="Schema">The name of its schema.</param>
/// <param name="Name">Its name.</param>
/// <param name="Operation">nextval, currval or setval.</param>
/// <param name="FromDefault">Called by a column default the statement fires, not written in the statement.</param>
public sealed record SequenceCall(uint Oid, string Schema, string Name, SequenceOperation Operation, bool FromDefault);

/// <summary>A trigger that fires for the statement, and as whom its body runs (its function's owner when SECURITY DEFINER, else the statement's role).</summary>
/// <param name="Table">The table it is on, schema-qualified as SQL writes it.</param>
/// <param name="Name">The trigger's name.</param>
/// <param name="Function">The trigger function, schema-qualified as SQL writes it.</param>
/// <param name="SecurityDefiner">Its function is SECURITY DEFINER.</param>
/// <param name="RunsAs">The role its body runs as; null when it runs as the statement's role.</param>
/// <param name="Events">When and on what it fires, in words ("BEFORE INSERT FOR EACH ROW").</param>
public sealed record FiringTrigger(string Table, string Name, string Function, bool SecurityDefiner, string? RunsAs, string Events);

/// <summary>
/// What a statement needs, from the server's own parse analysis and rewriter (never by running it):
/// every relation checked with its columns and the role it is checked as, the routines called, the
/// sequence functions behind defaults and calls, the triggers that will fire, the schemas looked up.
/// When the server could not analyse it (it does not parse, or names what does not exist),
/// <see cref="Problem"/> says so and the rest is empty.
/// </summary>
public sealed record ServerNeeds
{
    /// <summary>The statement analysed.</summary>
    public required string Statement { get; init; }

    /// <summary>The command: SELECT, INSERT, UPDATE, DELETE, MERGE; empty when unknown.</summary>
    public string Command { get; init; } = "";

    /// <summary>Relations the executor checks, with columns and the role each is checked as.</summary>
    public ImmutableArray<RelationCheck> Relations { get; init; } = [];

    /// <summary>Routines the statement calls (EXECUTE is checked as the statement's role).</summary>
    public ImmutableArray<FunctionCall> Functions { get; init; } = [];

    /// <summary>Sequence functions called with a known sequence.</summary>
    public ImmutableArray<SequenceCall> Sequences { get; init; } = [];

    /// <summary>Triggers that fire for the command on its target.</summary>
    public ImmutableArray<FiringTrigger> Triggers { get; init; } = [];

    /// <summary>Schemas whose USAGE the name lookups of the statement check (of what it names itself).</summary>
    public ImmutableArray<string> Schemas { get; init; } = [];

    /// <summary>What the probe could not see (a sequence named by a computed expression …), in words.</summary>
    public ImmutableArray<string> Unseen { get; init; } = [];

    /// <summary>Why the server could not analyse the statement (its own message), or null.</summary>
    public string? Problem { get; init; }

    /// <summary>The server analysed the statement.</summary>
    public bool Analysed => Problem is null;

    /// <summary>Needs that could not be analysed, with the server's reason.</summary>
    public static ServerNeeds Failed(string statement, string problem) => new() { Statement = statement, Problem = problem };
}

/// <summary>Whether the server agrees with a diagnosis.</summary>
public enum VerificationStatus
{
    /// <summary>The server's checks pass for the statement with the fix applied (or now, with no fix).</summary>
    Verified,
    /// <summary>The server's checks still fail with the fix applied (or now, when pgrant found nothing to fix).</summary>
    Failed,
    /// <summary>pgrant could not ask the server (offline, no statement, not allowed to apply the fix or to become the role).</summary>
    NotVerified,
}

/// <summary>
/// The server's verdict on a diagnosis: in a transaction that is always rolled back, the fix applied,
/// then as the role the statement checked without running it (EXPLAIN runs the executor's permission
/// checks, EXECUTE on routines included; sequence functions by has_sequence_privilege). <see cref="Checked"/>
/// and <see cref="NotChecked"/> say what was and was not covered.
/// </summary>
/// <param name="Status">Verified, failed or not verified.</param>
/// <param name="Detail">The server's message when failed; why not when not verified; what passed when verified.</param>
/// <param name="Checked">What the server checked.</param>
/// <param name="NotChecked">What could not be checked without running the statement (a trigger body …).</param>
public sealed record Verification(VerificationStatus Status, string Detail, ImmutableArray<string> Checked, ImmutableArray<string> NotChecked)
{
    /// <summary>Not verified, for <paramref name="why"/>.</summary>
    public static Verification NotDone(string why) => new(VerificationStatus.NotVerified, why, [], []);
}
