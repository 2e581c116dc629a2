import { render } from 'preact';
import { ConsentApp } from '@/components/study/ConsentPage';
import '@/components/ui/ui.css';
import './consent.css';

// The study consent page (an unlisted extension page: chrome-extension://<id>/consent.html),
// opened from options → Study after a protocol has been loaded.
render(<ConsentApp />, document.getElementById('app')!);
