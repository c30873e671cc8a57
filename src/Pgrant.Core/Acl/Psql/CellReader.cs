using System.Collections.Immutable;

namespace Pgrant.Core.Acl.Psql;

/// <summary>
/// Reads the aclitems of one psql cell. psql joins items with a newline (array_to_string(acl,
/// E'\n')), so items are split at newlines outside double quotes: a role name may itself hold a
/// newline. Errors are re-raised against the whole pasted text, at the right line and column.
/// </summary>
internal sealed class CellReader(string text, int[] lineStarts)
{
    public AclListing Listing(PsqlCell cell, string? objectName, string? label, ObjectKind? kind, string? owner, bool defaultPrivileges)
    {
        var body = cell.Text.Trim();
        if (body.Length == 0)
            // A \ddp row exists only when it differs from the built-in default, so blank there is {}.
            return new AclListing(objectName, label, kind, owner, defaultPrivileges ? AclState.Empty : AclState.DefaultOrEmpty, [], defaultPrivileges);
        if (body == "(none)")
            return new AclListing(objectName, label, kind, owner, AclState.Empty, [], defaultPrivileges);
        var items = ImmutableArray.CreateBuilder<AclItem>();
        foreach (var (start, length) in Split(cell.Text, 0, cell.Text.Length))
            items.Add(ParseAt(cell, start, length));
        return new AclListing(objectName, label, kind, owner, AclState.Items, items.ToImmutable(), defaultPrivileges);
    }

    /// <summary>
    /// \dp's "Column privileges" cell: for each column "name:" then its items, each on a line
    /// indented by two spaces (psql: attname || E':\n  ' || array_to_string(attacl, E'\n  ')).
    /// </summary>
    public IEnumerable<(string Column, ImmutableArray<AclItem> Items)> ColumnCell(PsqlCell cell)
    {
        var t = cell.Text;
        string? column = null;
        var items = ImmutableArray.CreateBuilder<AclItem>();
        foreach (var (start, length) in Split(t, 0, t.Length))
        {
            var piece = t.Substring(start, length);
            if (piece.StartsWith("  ", StringComparison.Ordinal) && column is not null)
            {
                items.Add(ParseAt(cell, start + 2, length - 2));
                continue;
            }
            if (piece.Trim().Length == 0) continue;
            if (column is not null) yield return (column, items.ToImmutable());
            items.Clear();
            column = piece.EndsWith(':') ? piece[..^1] : piece;
        }
        if (column is not null) yield return (column, items.ToImmutable());
    }

    private AclItem ParseAt(PsqlCell cell, int start, int length)
    {
        var itemText = cell.Text.Substring(start, length);
        try
        {
            return AclItem.Parse(itemText);
        }
        catch (AclFormatException e)
        {
            var (line, column) = cell.Locate(start + e.Position);
            throw new AclFormatException(text, lineStarts[line] + column, e.Expected);
        }
    }

    /// <summary>Pieces of text[from..to) split at newlines that are not inside double quotes.</summary>
    private static IEnumerable<(int Start, int Length)> Split(string t, int from, int to)
    {
        var inQuotes = false;
        var start = from;
        for (var i = from; i < to; i++)
        {
            if (t[i] == '"') inQuotes = !inQuotes;
            else if (t[i] == '\n' && !inQuotes)
            {
                if (i > start) yield return (start, i - start);
                start = i + 1;
            }
        }
        if (to > start) yield return (start, to - start);
    }
}
