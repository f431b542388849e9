<?php
// Print, as one JSON array, what symfony/dotenv (Debian's package) parses
// from each file named on the command line; a file it rejects becomes
// {"__error__": message}.
require '/usr/share/php/Symfony/Component/Dotenv/autoload.php';

$results = [];
foreach (array_slice($argv, 1) as $file) {
    try {
        $parser = new Symfony\Component\Dotenv\Dotenv();
        $results[] = (object) $parser->parse(file_get_contents($file), $file);
    } catch (Throwable $error) {
        $results[] = ['__error__' => $error->getMessage()];
    }
}
echo json_encode($results, JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR);
