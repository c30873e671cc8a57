using System.Collections.Immutable;
using Npgsql;
using Pgrant.Core;
using Pgrant.Core.Access;
using Pgrant.Core.Catalog;
using Pgrant.Core.Diagnosis;
using Pgrant.Postgres.Catalog;

namespace Pgrant.Postgres.Probe;

/// <summary>
/// explain with a statement on a live server: the statement's needs from the server's analysis
/// (<see cref="StatementProbe"/>), the catalog read for what they name, the diagnosis on them, and the
/// server's verdict on its fix (<see cref="FixVerifier"/>). A statement the server cannot analyse falls
/// back to pgrant's own reading, and the diagnosis says so; nothing here runs the statement.
/// </summary>
internal static class StatementDiagnosis
{
    public static async Task<ExplainResult> ExplainAsync(PgrantSession session, CatalogSnapshot snapshot, CatalogScope scope,
        PermissionError error, string? role, string statement, CancellationToken ct)
    {
        var name = role ?? snapshot.CurrentUser;
        var who = snapshot.RoleByName(name) ?? throw new RoleNotFoundException(name);
        var searchPath = snapshot.SearchPathOf(who.Name);
        await using var opened = await session.OpenAsync(ct).ConfigureAwait(false);
        await using var detailed = await WithDetailAsync(opened, ct).ConfigureAwait(false);
        var connection = detailed ?? opened;
        ServerNeeds needs;
        try
        {
            needs = await StatementProbe.ProbeAsync(connection, statement, who.Name == snapshot.CurrentUser ? null : who.Name, searchPath, ct).ConfigureAwait(false);
        }
        catch (PostgresException e)
        {
            needs = ServerNeeds.Failed(statement, e.MessageText);
        }
        var more = Scope(needs, snapshot);
        if (more is not null)
        {
            snapshot = await CatalogReader.ReadAsync(connection, scope.Union(more), ct).ConfigureAwait(false);
            who = snapshot.RoleByName(who.Name) ?? throw new RoleNotFoundException(who.Name);
        }
        var explainer = new Explainer(snapshot, new AccessEvaluator(snapshot), searchPath);
        var diagnosis = explainer.Explain(error, who, statement, needs);
        Verification verification;
        try
        {
            verification = await FixVerifier.VerifyAsync(connection, statement, who.Name, searchPath, diagnosis.Fix, needs, ct).ConfigureAwait(false);
        }
        catch (PostgresException e)
        {
            verification = Verification.NotDone($"the server could not be asked ({e.MessageText})");
        }
        diagnosis = diagnosis with { Verification = verification };
        if (verification.Status == VerificationStatus.Failed && diagnosis.AlreadyAllowed)
        {
            // "Nothing to fix" only when the statement passes now.
            diagnosis = diagnosis with
            {
                AlreadyAllowed = false,
                Cause = $"{diagnosis.Cause} Yet the server still denies the statement as {who.Name}: {verification.Detail}.",
            };
        }
        // No role named: "nothing to fix" holds only for the connected role; say who would hit the error instead.
        if (role is null) diagnosis = explainer.WithoutNamedRole(diagnosis, error, who, statement, needs);
        return new ExplainResult(snapshot, error, diagnosis);
    }

    // The rewritten tree arrives in the DETAIL of LOG notices, which Npgsql redacts unless the connection string
    // says Include Error Detail (an application's data source may not): a clone of the connection, with the same
    // credentials, that does. Null when the connection already shows details.
    private static async Task<NpgsqlConnection?> WithDetailAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(connection.ConnectionString);
        if (builder.IncludeErrorDetail) return null;
        builder.IncludeErrorDetail = true;
        builder.Pooling = false;
        var clone = connection.CloneWith(builder.ConnectionString);
        await clone.OpenAsync(ct).ConfigureAwait(false);
        return clone;
    }

    // The names the needs lead to that the snapshot does not hold yet, or null when it holds them all.
    private static CatalogScope? Scope(ServerNeeds needs, CatalogSnapshot snapshot)
    {
        var relations = needs.Relations.Select(r => (r.Oid, r.Schema, r.Name))
            .Concat(needs.Sequences.Select(s => (s.Oid, s.Schema, s.Name)))
            .Where(r => snapshot.RelationByOid(r.Oid) is null)
            .Select(r => new ScopeName(r.Schema, r.Name)).Distinct().ToImmutableArray();
        var functions = needs.Functions.Where(f => f.Schema != "pg_catalog" && snapshot.FunctionByOid(f.Oid) is null)
            .Select(f => new ScopeName(f.Schema, f.Name)).Distinct().ToImmutableArray();
        return relations.IsEmpty && functions.IsEmpty ? null : new CatalogScope(relations, functions, []);
    }
}
