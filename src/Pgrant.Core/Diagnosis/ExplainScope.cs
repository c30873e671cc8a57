using Pgrant.Core.Catalog;

namespace Pgrant.Core.Diagnosis;

/// <summary>
/// What <see cref="Explainer"/> reads of a catalog for one error: the object the error names (by its
/// object word's kind; every kind when the word is unknown) and the relation the statement targets.
/// Role, membership, database and schema errors need nothing beyond what every scoped read holds.
/// </summary>
public static class ExplainScope
{
    /// <summary>The scope a catalog read needs to explain <paramref name="error"/>.</summary>
    /// <param name="error">The permission error.</param>
    /// <param name="statement">The statement that failed, when known; defaults to the one in the error's text.</param>
    public static CatalogScope For(PermissionError error, string? statement = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        var scope = error.Kind switch
        {
            PermissionErrorKind.DatabaseConnect or PermissionErrorKind.TemporaryTables
                or PermissionErrorKind.SetRole or PermissionErrorKind.MemberOfRole
                or PermissionErrorKind.RoleAttribute or PermissionErrorKind.Superuser or PermissionErrorKind.PredefinedRole
                or PermissionErrorKind.Parameter or PermissionErrorKind.Extension or PermissionErrorKind.RoleAdmin
                or PermissionErrorKind.RoleObjects => CatalogScope.None,
            PermissionErrorKind.Maintenance or PermissionErrorKind.RowLevelSecurity => CatalogScope.ForObject(null, error.ObjectName, Acl.ObjectKind.Table),
            _ => CatalogScope.ForObject(null, error.ObjectName, error.ObjectKind),
        };
        statement ??= error.Statement;
        if (!string.IsNullOrWhiteSpace(statement) && StatementAnalyzer.Analyze(statement).Target is { } target)
            scope = scope.Union(new CatalogScope([new ScopeName(target.Schema, target.Name)], [], []));
        // An error raised inside a routine body: the routine (who its body runs as) and what its inner statement targets.
        if (Explainer.ContextRoutine(error) is { } routine)
        {
            var dot = routine.LastIndexOf('.');
            var name = new ScopeName(dot < 0 ? null : routine[..dot].Trim('"'), routine[(dot + 1)..].Trim('"'));
            scope = scope.Union(new CatalogScope([], [name], []));
        }
        if (Explainer.ContextStatement(error) is { } inner && StatementAnalyzer.Analyze(inner).Target is { } innerTarget)
            scope = scope.Union(new CatalogScope([new ScopeName(innerTarget.Schema, innerTarget.Name)], [], []));
        return scope;
    }
}
