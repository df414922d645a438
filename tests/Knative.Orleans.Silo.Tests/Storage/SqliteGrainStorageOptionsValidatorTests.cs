using Knative.Orleans.Silo.Storage;

namespace Knative.Orleans.Silo.Tests.Storage;

public sealed class SqliteGrainStorageOptionsValidatorTests
{
    private readonly SqliteGrainStorageOptionsValidator _validator = new();

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Missing_path_fails_with_a_message_naming_the_key_and_provider(string path)
    {
        var result = _validator.Validate("store", new SqliteGrainStorageOptions { Path = path });

        Assert.True(result.Failed);
        var message = Assert.Single(result.Failures!);
        Assert.Contains("SqliteGrainStorageOptions.Path is required", message);
        Assert.Contains("'store'", message);
    }

    [Fact]
    public void Path_that_is_a_file_fails()
    {
        var file = Path.GetTempFileName();
        try
        {
            var result = _validator.Validate("store", new SqliteGrainStorageOptions { Path = file });

            Assert.True(result.Failed);
            Assert.Contains("must be a directory", Assert.Single(result.Failures!));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Directory_path_succeeds_even_if_it_does_not_exist_yet()
    {
        var result = _validator.Validate("store", new SqliteGrainStorageOptions { Path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")) });

        Assert.True(result.Succeeded);
    }
}
