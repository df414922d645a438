using Microsoft.Extensions.Options;

namespace Knative.Orleans.Silo.Storage;

/// <summary>
/// Validates <see cref="SqliteGrainStorageOptions"/> at startup and reports every problem at once.
/// </summary>
public sealed class SqliteGrainStorageOptionsValidator : IValidateOptions<SqliteGrainStorageOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SqliteGrainStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        var provider = string.IsNullOrEmpty(name) ? "(default)" : name;
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            errors.Add(
                $"SqliteGrainStorageOptions.Path is required for grain storage '{provider}': " +
                $"set it to the directory that holds {SqliteGrainStorage.DatabaseFileName}.");
        }
        else if (options.Path.AsSpan().IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0)
        {
            errors.Add(
                $"SqliteGrainStorageOptions.Path = '{options.Path}' for grain storage '{provider}' contains " +
                "characters that are not allowed in a path.");
        }
        else if (File.Exists(options.Path))
        {
            errors.Add(
                $"SqliteGrainStorageOptions.Path = '{options.Path}' for grain storage '{provider}' is a file; " +
                $"it must be a directory (the database is {{Path}}/{SqliteGrainStorage.DatabaseFileName}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
