namespace Pgrant.Core.Sql;

/// <summary>What kind of words a <see cref="Note"/> carries.</summary>
public enum NoteKind
{
    /// <summary>A fact worth knowing (why the fix looks as it does, what else is affected).</summary>
    Info,
    /// <summary>Something a person should do that is not a statement pgrant can run (change a process, decide a policy).</summary>
    Advice,
    /// <summary>A risk of the fix itself (a lock, a dropped grant, a wider privilege).</summary>
    Caution,
}

/// <summary>
/// Words that go with a fix but are not SQL to run: advice, a caution, a fact. <see cref="Example"/>
/// is a statement to adapt (a policy whose rows a person must decide, a rename): shown as an example,
/// never run.
/// </summary>
/// <param name="Kind">Whether it is a fact, advice or a caution.</param>
/// <param name="Text">The words.</param>
/// <param name="Example">A statement to adapt, shown and never run; or null.</param>
public sealed record Note(NoteKind Kind, string Text, SqlStatement? Example = null)
{
    /// <summary>A fact.</summary>
    public static Note Info(string text) => new(NoteKind.Info, text);

    /// <summary>Advice that is not a statement pgrant runs; <paramref name="example"/> shows what it could look like.</summary>
    public static Note Advise(string text, SqlStatement? example = null) => new(NoteKind.Advice, text, example);

    /// <summary>A risk of the fix.</summary>
    public static Note Caution(string text) => new(NoteKind.Caution, text);
}
