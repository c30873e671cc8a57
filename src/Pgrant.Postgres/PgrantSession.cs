using System.Collections.Immutable;
using System.Diagnostics;
using Npgsql;
using Pgrant.Core;
using Pgrant.Core.Access;
using Pgrant.Core.Catalog;
using Pgrant.Core.Diagnosis;
using Pgrant.Core.Rules;
using Pgrant.Core.Sql;
using Pgrant.Postgres.Apply;
using Pgrant.Postgres.Catalog;
using Pgrant.Postgres.Probe;
using Pgrant.Postgres.Connections;

namespace Pgrant.Postgres;

/// <summary>
/// The one road from a server to an answer: connect → read the catalog (one snapshot) → analyse (pure) →
/// typed result, and, with consent, apply statements in one transaction. The CLI, the demo, the tests and
/// applications (through Pgrant.Npgsql) all take it; none wires the steps itself.
/// </summary>
/// <remarks>
/// A session made from <see cref="ConnectionOptions"/> owns its data source and can reach the other
/// databases of the cluster (an audit of all of them); one made from an application's
/// <see cref="NpgsqlDataSource"/> reads only that source's database. Every operation opens a connection,
/// uses it, and closes it. Not thread-safe.
/// </remarks>
public sealed class PgrantSession : IAsyncDisposable
{
    private ConnectionOptions? _options;
    private readonly IPasswordPrompt? _prompt;
    private readonly bool _ownsSource;
    private NpgsqlDataSource? _source;

    private PgrantSession(ConnectionOptions? options, IPasswordPrompt? prompt, NpgsqlDataSource? source, bool ownsSource)
    {
        _options = options;
        _prompt = prompt;
        _source = source;
        _ownsSource = ownsSource;
    }

    /// <summary>
    /// A session on resolved connection options; nothing is opened until the first operation, which asks
    /// <paramref name="prompt"/> for a password when the options' prompt mode calls for it (as psql does).
    /// </summary>
    public static PgrantSession Create(ConnectionOptions options, IPasswordPrompt? prompt = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new PgrantSession(options, prompt, null, ownsSource: true);
    }

    /// <summary>A session on an application's own data source (which the session does not dispose unless told to).</summary>
    public static PgrantSession Create(NpgsqlDataSource dataSource, bool ownsDataSource = false)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return new PgrantSession(null, null, dataSource, ownsDataSource);
    }

    /// <summary>Reads one snapshot of the connected database: the whole catalog, or only what <paramref name="scope"/> names and leads to.</summary>
    public async Task<CatalogSnapshot> ReadCatalogAsync(CatalogScope? scope = null, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        return await CatalogReader.ReadAsync(connection, scope, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Diagnoses a permission error for <paramref name="role"/> (the connected role when null; when that role may do
    /// what failed, the diagnosis lists the login roles that would hit the error, <see cref="Diagnosis.WouldHit"/>): reads the
    /// part of the catalog the error and the statement name, with the role's own search_path, and explains.
    /// With a statement (<paramref name="statement"/>, or the one in the error's text) its needs come from the
    /// server's own analysis (never by running it), and the server checks the fix in a transaction that is
    /// rolled back (<see cref="Diagnosis.Verification"/>).
    /// Throws <see cref="RoleNotFoundException"/> when the role does not exist.
    /// </summary>
    public async Task<ExplainResult> ExplainAsync(PermissionError error, string? role = null, string? statement = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        var scope = ExplainScope.For(error, statement);
        var snapshot = await ReadCatalogAsync(scope, ct).ConfigureAwait(false);
        var text = statement ?? error.Statement;
        if (!string.IsNullOrWhiteSpace(text))
            return await StatementDiagnosis.ExplainAsync(this, snapshot, scope, error, role, text, ct).ConfigureAwait(false);
        var result = Explain(snapshot, error, role, statement);
        return result with { Diagnosis = result.Diagnosis with { Verification = Verification.NotDone("no statement was given, so the server could not check the fix against it") } };
    }

    /// <summary>The diagnosis of <paramref name="error"/> on a snapshot already read (the pure part of <see cref="ExplainAsync"/>).</summary>
    public static ExplainResult Explain(CatalogSnapshot snapshot, PermissionError error, string? role = null, string? statement = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var name = role ?? snapshot.CurrentUser;
        var who = snapshot.RoleByName(name) ?? throw new RoleNotFoundException(name);
        var explainer = new Explainer(snapshot, new AccessEvaluator(snapshot), snapshot.SearchPathOf(who.Name));
        var diagnosis = explainer.Explain(error, who, statement);
        // No role named: "nothing to fix" holds only for the connected role; say who would hit the error instead.
        if (role is null) diagnosis = explainer.WithoutNamedRole(diagnosis, error, who, statement ?? error.Statement, null);
        return new ExplainResult(snapshot, error, diagnosis);
    }

    /// <summary>
    /// The start-up check of an application: whether <paramref name="role"/> (the connected role when null) has
    /// what <paramref name="requirements"/> need — statements it runs, privileges on objects — read from a
    /// scoped snapshot of what they name (and what that leads to: a table's sequences), with the role's own
    /// search_path; what is missing comes with the least fix. Throws <see cref="RoleNotFoundException"/> when the
    /// role does not exist.
    /// </summary>
    public async Task<RequirementReport> CheckRequirementsAsync(IEnumerable<AccessRequirement> requirements, string? role = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        var list = requirements.ToImmutableArray();
        var snapshot = await ReadCatalogAsync(RequirementCheck.Scope(list), ct).ConfigureAwait(false);
        return CheckRequirements(snapshot, list, role);
    }

    /// <summary>The start-up check on a snapshot already read (the pure part of <see cref="CheckRequirementsAsync"/>).</summary>
    public static RequirementReport CheckRequirements(CatalogSnapshot snapshot, IEnumerable<AccessRequirement> requirements, string? role = null) =>
        RequirementCheck.Run(snapshot, requirements, role);

    /// <summary>
    /// Audits the connected database, or (<paramref name="allDatabases"/>) every database of the cluster
    /// that accepts connections: one snapshot each, the rules over it, findings merged (cluster-wide ones
    /// once). Databases that cannot be read are listed in <see cref="AuditResult.Unreadable"/>.
    /// </summary>
    public async Task<AuditResult> AuditAsync(AuditScope scope, ImmutableArray<IAuditRule> rules, bool allDatabases = false,
        IProgress<AuditProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var read = Stopwatch.StartNew();
        var first = await ReadCatalogAsync(null, ct).ConfigureAwait(false);
        read.Stop();
        var analyse = new Stopwatch();
        if (!allDatabases)
        {
            analyse.Start();
            var one = Auditor.Run(new AuditContext(first, scope), rules);
            return one with { ReadTime = read.Elapsed, AnalyseTime = analyse.Elapsed };
        }
        if (_options is null)
            throw new PgrantException("auditing every database needs connection options, not a single data source",
                "create the session from connection options to reach the other databases of the cluster");
        var names = first.Databases.Where(d => d.AllowConnections && !d.IsTemplate).Select(d => d.Name).Order(StringComparer.Ordinal).ToList();
        var audits = new List<(string, AuditResult)>();
        var notRead = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            progress?.Report(new AuditProgress(i + 1, names.Count, name));
            var snapshot = first;
            if (name != first.CurrentDatabase)
            {
                read.Start();
                try
                {
                    // The first read connected: its options carry a password typed at the prompt, so it is asked once.
                    await using var other = Create(_options with { Database = name, PasswordPrompt = PasswordPromptMode.Never });
                    snapshot = await other.ReadCatalogAsync(null, ct).ConfigureAwait(false);
                }
                catch (PgrantException e) when (e is not UnexpectedServerDataException)
                {
                    notRead.Add($"database {name}: {e.Message}");
                    continue;
                }
                finally
                {
                    read.Stop();
                }
            }
            analyse.Start();
            audits.Add((name, Auditor.Run(new AuditContext(snapshot, scope), rules)));
            analyse.Stop();
        }
        var merged = Auditor.Merge(audits);
        return merged with { Unreadable = [.. notRead, .. merged.Unreadable], ReadTime = read.Elapsed, AnalyseTime = analyse.Elapsed };
    }

    /// <summary>Every role that holds <paramref name="privilege"/> on <paramref name="objectName"/>, how, and whether it reaches it.</summary>
    public async Task<WhoCanAnswer> WhoCanAsync(string privilege, string objectName, string? kind = null, CancellationToken ct = default)
    {
        var (snapshot, target, request) = await QuestionAsync(privilege, objectName, kind, ct).ConfigureAwait(false);
        return new AccessQuestions(new AccessEvaluator(snapshot)).WhoCan(target, request);
    }

    /// <summary>Whether <paramref name="role"/> ("public" for PUBLIC) may use the privilege on the object, with the path or exactly what is missing.</summary>
    public async Task<CanAnswer> CanAsync(string role, string privilege, string objectName, string? kind = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(role);
        var (snapshot, target, request) = await QuestionAsync(privilege, objectName, kind, ct).ConfigureAwait(false);
        return new AccessQuestions(new AccessEvaluator(snapshot)).Can(QuestionInput.RoleOid(snapshot, role), target, request);
    }

    // Parse first (a typo fails before any connection), then a scoped read, then find the object.
    private async Task<(CatalogSnapshot, ObjectTarget, PrivilegeRequest)> QuestionAsync(string privilege, string objectName, string? kind, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(privilege);
        ArgumentNullException.ThrowIfNull(objectName);
        PrivilegeRequest.Parse(privilege);
        var snapshot = await ReadCatalogAsync(QuestionInput.Scope(objectName, kind), ct).ConfigureAwait(false);
        var (target, request) = QuestionInput.Read(snapshot, privilege, objectName, kind);
        return (snapshot, target, request);
    }

    /// <summary>
    /// Runs the fix of a diagnosis as the connected role, in one transaction with a lock_timeout; anything
    /// that fails rolls everything back (<see cref="ApplyFailedException"/>). Refused before any write unless
    /// <see cref="ExplainResult.Gate"/> says the connected role may run it, and when the server, asked in a
    /// rolled-back transaction, still denies the statement with the fix applied (<see cref="ApplyGate.ServerDisagrees"/>).
    /// </summary>
    public Task ApplyFixAsync(ExplainResult result, TimeSpan? lockTimeout = null, CancellationToken ct = default) =>
        ApplyFixAsync(result, allowBroad: false, lockTimeout, ct);

    /// <summary>
    /// As <see cref="ApplyFixAsync(ExplainResult, TimeSpan?, CancellationToken)"/>; when the diagnosis has no
    /// least-privilege fix but a broad one (<see cref="ApplyGate.BroadOnly"/>), runs that only with
    /// <paramref name="allowBroad"/>, and refuses it before any write otherwise.
    /// </summary>
    public Task ApplyFixAsync(ExplainResult result, bool allowBroad, TimeSpan? lockTimeout = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Gate == ApplyGate.BroadOnly)
        {
            var broad = result.Diagnosis.Broad!;
            if (!allowBroad)
                throw new PgrantException($"the only fix is broad, so it was not applied: {broad.HandsOver}",
                    "apply it only if that is intended: pass --allow-broad (allowBroad: true in a library)");
            if (!broad.CanRun.Any(f => f.Name == result.Snapshot.CurrentUser))
                throw new PgrantException($"{result.Snapshot.CurrentUser} may not run this fix; nothing was changed",
                    broad.CanRun.IsEmpty ? null : $"connect as one of: {string.Join(", ", broad.CanRun)}");
            return ApplyAsync(broad.Statements, lockTimeout, ct);
        }
        return result.Gate switch
        {
            ApplyGate.Allowed => ApplyAsync(result.Diagnosis.Fix, lockTimeout, ct),
            ApplyGate.NothingToApply => Task.CompletedTask,
            ApplyGate.ServerDisagrees => throw new PgrantException(
                $"the server still denies the statement with this fix applied, so it was not applied: {result.Diagnosis.Verification!.Detail}",
                "the statement needs more than the diagnosis found; nothing was changed"),
            _ => throw new PgrantException($"{result.Snapshot.CurrentUser} may not run this fix; nothing was changed",
                result.Diagnosis.CanFix.IsEmpty ? null : $"connect as one of: {string.Join(", ", result.Diagnosis.CanFix)}"),
        };
    }

    /// <summary>Runs statements as the connected role in one transaction with a lock_timeout; all or nothing.</summary>
    public async Task ApplyAsync(IReadOnlyList<SqlStatement> statements, TimeSpan? lockTimeout = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(statements);
        if (statements.Count == 0) return;
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await Applier.ApplyAsync(connection, statements, lockTimeout, ct).ConfigureAwait(false);
    }

    /// <summary>An open connection of the session (the caller disposes it); connection failures are <see cref="ConnectionFailedException"/>s.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken ct = default)
    {
        if (_options is null) return await _source!.OpenConnectionAsync(ct).ConfigureAwait(false);
        if (_source is not null) return await PgConnector.OpenAsync(_source, _options, ct).ConfigureAwait(false);
        // The first connection applies the password-prompt policy; the options it ends with (a typed
        // password) and its data source serve every later connection.
        var first = await PgConnector.ConnectAsync(_options, _prompt, ct).ConfigureAwait(false);
        (_options, _source) = (first.Options, first.Source);
        return first.Connection;
    }

    /// <summary>Disposes the data source when the session owns it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownsSource && _source is not null) await _source.DisposeAsync().ConfigureAwait(false);
        _source = null;
    }
}

/// <summary>How far an audit of several databases has come.</summary>
public readonly record struct AuditProgress(int Index, int Count, string Database);

/// <summary>Whether the connected role may run a diagnosis' fix.</summary>
public enum ApplyGate
{
    /// <summary>There is a fix and the connected role is among those who may run it.</summary>
    Allowed,
    /// <summary>The diagnosis has no fix.</summary>
    NothingToApply,
    /// <summary>The connected role is not among those who may run the fix.</summary>
    NotPermitted,
    /// <summary>There is no least-privilege fix, only a broad one (<see cref="Diagnosis.Broad"/>): applied only when asked for explicitly.</summary>
    BroadOnly,
    /// <summary>The server checked the fix against the statement and still denies it (<see cref="Diagnosis.Verification"/>): never applied.</summary>
    ServerDisagrees,
}

/// <summary>A diagnosis with the snapshot it was made on and the error it explains.</summary>
public sealed record ExplainResult(CatalogSnapshot Snapshot, PermissionError Error, Diagnosis Diagnosis)
{
    /// <summary>Whether the connected role (the snapshot's current user) may run the fix.</summary>
    public ApplyGate Gate =>
        Diagnosis.Fix.IsEmpty ? (Diagnosis.Broad is { Statements.IsEmpty: false } ? ApplyGate.BroadOnly : ApplyGate.NothingToApply)
        : Diagnosis.Verification is { Status: VerificationStatus.Failed } ? ApplyGate.ServerDisagrees
        : Diagnosis.CanFix.Any(f => f.Name == Snapshot.CurrentUser) ? ApplyGate.Allowed
        : ApplyGate.NotPermitted;
}
