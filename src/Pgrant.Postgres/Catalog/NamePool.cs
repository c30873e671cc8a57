namespace Pgrant.Postgres.Catalog;

/// <summary>
/// Per-read string interning: column names ("id"), type names ("integer"), role and language names
/// repeat across hundreds of thousands of rows; keeping one instance of each keeps the snapshot small.
/// Local to one read (not string.Intern) so nothing outlives the snapshot.
/// </summary>
internal sealed class NamePool
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    public string Intern(string value)
    {
        if (_names.TryGetValue(value, out var existing)) return existing;
        _names.Add(value, value);
        return value;
    }
}
